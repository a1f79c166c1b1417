//! The load-balancer lab's stories (see [`crate::story`]).

use crate::story::{Story, StoryStep};

pub static STORIES: &[Story] = &[
    Story {
        id: "slow-server",
        title: "A slow server: round robin against peak EWMA",
        summary: "When one server turns ten times slower, round robin keeps sending it its share and the tail latency explodes; peak EWMA moves traffic away within a few requests.",
        steps: &[
            StoryStep {
                query: "alg=round_robin&ev=3000:3:slow10&step=201",
                text: "Eight servers; at 3 s server 3 becomes ten times slower. Round robin still sends it one request in eight, they queue behind each other, and the p99 latency goes from tens of milliseconds to about a second, with timeouts and retries.",
                look: "chart",
            },
            StoryStep {
                query: "alg=peak_ewma&ev=3000:3:slow10&step=201",
                text: "Peak EWMA keeps a decaying average of each server's latency that jumps at once on a slow response, multiplied by its requests in flight. Server 3's cost shoots up, it gets few requests, and the p99 stays near 50 ms.",
                look: "chart",
            },
            StoryStep {
                query: "alg=peak_ewma&cmp=1&ev=3000:3:slow10&step=201",
                text: "All ten algorithms on identical traffic: the ones that measure latency or load (peak EWMA, least connections, power of two choices) route around the slow server; the ones that only count do not.",
                look: "table",
            },
        ],
    },
    Story {
        id: "uneven-costs",
        title: "Uneven costs: why least connections wins",
        summary: "When a few requests are very expensive, round robin keeps queueing requests behind them; least connections sends each request to the server with the fewest in progress.",
        steps: &[
            StoryStep {
                query: "alg=round_robin&cap=1&dist=constant&rate=600&cvar=3&step=201",
                text: "Request costs vary a lot (a few are thirty times the mean) and each server works on one at a time. Round robin sends the next request to the next server even if it is stuck on an expensive one: the median waits 45 ms and the p99 almost a second.",
                look: "chart",
            },
            StoryStep {
                query: "alg=least_connections&cap=1&dist=constant&rate=600&cvar=3&step=201",
                text: "Least connections sends each request to the server with the fewest in progress, a live measure of who is behind: the same traffic now has a median under 10 ms and a p99 four times lower.",
                look: "chart",
            },
            StoryStep {
                query: "alg=least_connections&cmp=1&cap=1&dist=constant&rate=600&cvar=3&step=201",
                text: "Every algorithm on the same requests: the table ranks them by tail latency. Random and round robin ignore the queues; two random choices get most of least connections' benefit while asking only two servers.",
                look: "table",
            },
        ],
    },
];
