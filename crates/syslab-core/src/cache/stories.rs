//! The cache lab's stories (see [`crate::story`]).

use crate::story::{Story, StoryStep};

pub static STORIES: &[Story] = &[
    Story {
        id: "scan-flushes-lru",
        title: "A scan flushes LRU, not SIEVE",
        summary: "Keys read once by a scan push LRU's hot keys out; scan-resistant policies keep them, and Bélády's optimum shows what was possible.",
        steps: &[
            StoryStep {
                query: "policy=lru&cmp=&size=200&batch=300&workload=scan&items=2000&n=60000&period=3000&scan=1000&step=200",
                text: "A hot set of keys, and every 3,000 requests a scan that reads 1,000 keys once each. LRU puts every scanned key at the front, so a scan evicts the whole hot set and the cache refills it afterwards.",
                look: "table",
            },
            StoryStep {
                query: "policy=lru&cmp=sieve,s3_fifo&size=200&batch=300&workload=scan&items=2000&n=60000&period=3000&scan=1000&step=200",
                text: "SIEVE and S3-FIFO let a new key prove itself before it can displace a key that has been hit: the scan passes through and the hot set stays. Same requests, same space, several points more hits.",
                look: "table",
            },
            StoryStep {
                query: "policy=lru&cmp=sieve,s3_fifo,belady&size=200&batch=300&workload=scan&items=2000&n=60000&period=3000&scan=1000&step=200",
                text: "Bélády's optimum evicts the key needed furthest in the future, which no real cache knows: it is the ceiling, and the gap between it and a policy is what better eviction could still win.",
                look: "chart",
            },
        ],
    },
    Story {
        id: "how-big",
        title: "How big should a cache be?",
        summary: "Under Zipf traffic a cache of 1% of the keys already serves about two fifths of the reads; ten times the space adds less than twice the hits.",
        steps: &[
            StoryStep {
                query: "policy=lru&cmp=sieve&size=100&batch=500&items=10000&n=100000&step=200",
                text: "10,000 keys with Zipf popularity (a few keys get most requests) and room for 100 of them: LRU already hits about two reads in five, because the most popular keys are asked for again and again.",
                look: "table",
            },
            StoryStep {
                query: "policy=lru&cmp=sieve&size=1000&batch=500&items=10000&n=100000&step=200",
                text: "Ten times the space, 1,000 keys: the hit ratio rises to about two thirds, not ten times. Each extra slot holds a less popular key than the one before: diminishing returns, as the miss-ratio curve shows.",
                look: "chart",
            },
        ],
    },
];
