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
];
