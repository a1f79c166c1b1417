//! The rate-limiter lab's stories (see [`crate::story`]).

use crate::story::{Story, StoryStep};

pub static STORIES: &[Story] = &[
    Story {
        id: "boundary-burst",
        title: "The fixed window's double burst",
        summary: "A limit of 10 a second lets 20 through in one second when a burst straddles a window boundary; a sliding log never does.",
        steps: &[
            StoryStep {
                query: "alg=fixed_window&by=global&dur=10000&tick=50&traffic=spike&rate=0.5&peak=100&on=400&step=200",
                text: "A fixed window counts requests per calendar second and resets at each boundary. A burst of 100 a second straddles the boundary at 5 s: 10 are admitted at the end of one window and 10 more at the start of the next, so 20 get through within one second, twice the limit.",
                look: "table",
            },
            StoryStep {
                query: "alg=fixed_window&cmp=sliding_log&by=global&dur=10000&tick=50&traffic=spike&rate=0.5&peak=100&on=400&step=200",
                text: "A sliding log keeps the time of every admitted request and admits one only if fewer than 10 were admitted in the second before it: at most 10 in any second, paid for with a timestamp per request.",
                look: "table",
            },
            StoryStep {
                query: "alg=fixed_window&cmp=sliding_log,sliding_counter&by=global&dur=10000&tick=50&traffic=spike&rate=0.5&peak=100&on=400&step=200",
                text: "A sliding counter keeps just two counters and weights the previous window by how much of it still overlaps the last second: 11 in the worst second here, close to the log for a fraction of its memory.",
                look: "drawing",
            },
        ],
    },
    Story {
        id: "bursts-and-refill",
        title: "Token buckets: a burst, then the rate",
        summary: "A bucket's capacity is how much burst it forgives: capacity 1 holds every second to the rate, capacity 20 lets a saved-up burst through at once; GCRA is the same limiter in one timestamp.",
        steps: &[
            StoryStep {
                query: "traffic=bursty&rate=15&peak=60&burst=1&step=200",
                text: "Bursts of 60 requests a second against a token bucket refilled at 10 a second with room for one token: nothing above the rate gets through, at most 10 in any second.",
                look: "table",
            },
            StoryStep {
                query: "traffic=bursty&rate=15&peak=60&burst=20&step=200",
                text: "Room for 20 tokens: a quiet spell fills the bucket and the next burst spends it at once, up to 29 in one second (20 saved plus the refill), while the long-run rate stays 10 a second.",
                look: "drawing",
            },
            StoryStep {
                query: "traffic=bursty&rate=15&peak=60&burst=20&cmp=gcra&step=200",
                text: "GCRA stores one timestamp, the theoretical arrival time, instead of a count and a refill time, and decides every request exactly as the token bucket does: the two rows agree to the request.",
                look: "table",
            },
        ],
    },
];
