//! The resilience lab's stories (see [`crate::story`]).

use crate::story::{Story, StoryStep};

pub static STORIES: &[Story] = &[
    Story {
        id: "retry-storm",
        title: "A retry storm after a dependency slows down",
        summary: "Retries at two layers multiply the load on a slow dependency until it cannot recover even after the slow-down ends; a retry budget caps the multiplication and the system recovers.",
        steps: &[
            StoryStep {
                query: "an=8&acap=200&aq=1000&bq=2000&fault=b:slow10:8000:6000&step=121",
                text: "B becomes ten times slower for 6 s. Without retries, requests that time out simply fail, and within a second of B being fast again the chain is healthy.",
                look: "chart",
            },
            StoryStep {
                query: "an=8&acap=200&aq=1000&bq=2000&ra=3&rb=3&backoff=none&jitter=none&fault=b:slow10:8000:6000&step=121",
                text: "Now the clients retry A three times and A retries B three times, at once. Every timed-out request becomes up to 16 attempts at B, which keeps serving work nobody waits for: B stays saturated after the slow-down ends.",
                look: "chart",
            },
            StoryStep {
                query: "an=8&acap=200&aq=1000&bq=2000&ra=3&rb=3&backoff=none&jitter=none&budget=1&fault=b:slow10:8000:6000&step=121",
                text: "A retry budget (as Finagle's: retries at most 20% of requests, plus 10 per second) at each layer caps the attempts at B per request at 1.2² = 1.44 (1.15 here instead of 11.85): B catches up within a second of the slow-down ending.",
                look: "status",
            },
        ],
    },
    Story {
        id: "breaker-jitter",
        title: "Jitter and a circuit breaker: letting a dependency recover",
        summary: "Clients that fail together retry together unless their backoff is jittered; a circuit breaker stops calls to a failing dependency and lets a few trial calls test it.",
        steps: &[
            StoryStep {
                query: "ra=4&rb=0&backoff=exponential&base=200&cap=5000&jitter=none&herd=20000&herdat=5000&rate=500&fault=b:down:5000:1000&step=121",
                text: "20,000 clients arrive at once while B is down for a second. With exponential backoff and no jitter they all retry at the same instants, 200, 600 and 1,400 ms later: each wave hits A at once.",
                look: "chart",
            },
            StoryStep {
                query: "ra=4&rb=0&backoff=exponential&base=200&cap=5000&jitter=full&herd=20000&herdat=5000&rate=500&fault=b:down:5000:1000&step=121",
                text: "Full jitter (a uniform sleep from 0 to the backoff) spreads each wave over its window, as the AWS Architecture Blog's simulation showed: the peak of retries per 10 ms falls more than tenfold.",
                look: "chart",
            },
            StoryStep {
                query: "ra=2&rb=2&brk=b&bwin=20&bmin=20&bwait=3000&bhalf=5&fault=b:err0.6:8000:10000&step=121",
                text: "B fails 60% of its requests for 10 s. A breaker on A's calls to B opens once half the last 20 calls failed, refuses calls for 3 s, then lets 5 trial calls through; it closes again once B is healthy.",
                look: "chart",
            },
        ],
    },
    Story {
        id: "cache-stampede",
        title: "A hot key expires: the cache stampede",
        summary: "When a hot key's cached value expires, every request that arrives while it is recomputed recomputes it too; single-flight makes it one recomputation, and stale-while-revalidate answers nobody late.",
        steps: &[
            StoryStep {
                query: "cache=1&dist=constant&dur=20000&tick=100&step=201",
                text: "Half of A's calls to B read one hot key, cached for 5 s; B takes 100 ms to recompute it. Each time it expires, every read in those 100 ms misses too: about 45 recomputations per expiry (500 reads a second × 0.1 s, less what queues), up to 49 at once, more than B's 32 slots, so the last ones queue.",
                look: "chart",
            },
            StoryStep {
                query: "cache=1&fix=coalesce&dist=constant&dur=20000&tick=100&step=201",
                text: "Request coalescing (single-flight): the first read that misses recomputes, and the reads that miss while it runs wait for its result instead of starting their own. Exactly one recomputation per expiry reaches B.",
                look: "table",
            },
            StoryStep {
                query: "cache=1&fixcmp=1&dist=constant&dur=20000&tick=100&step=201",
                text: "Every fix on the same traffic: a lock with waiters also recomputes once but answers its waiters only when they poll; stale-while-revalidate serves the old value at once while one background recomputation runs; XFetch recomputes a little before expiry, a few times per refresh (3.5 in this short run; e ≈ 2.7 on average, a check of the lab); TTL jitter does nothing for one key, it spreads many keys' expiries apart.",
                look: "table",
            },
        ],
    },
];
