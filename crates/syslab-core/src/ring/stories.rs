//! The ring lab's stories (see [`crate::story`]).

use crate::story::{Story, StoryStep};

pub static STORIES: &[Story] = &[
    Story {
        id: "why-vnodes",
        title: "Why virtual nodes even out a ring",
        summary: "One token per server leaves some servers with three times their share; two hundred make every share nearly fair, and a new server takes only its own.",
        steps: &[
            StoryStep {
                query: "nodes=5&vnodes=1&keys=5000",
                text: "Five servers, one token each. A key belongs to the first token clockwise from it, so each server owns the arc before its token, and random arcs are uneven: the busiest server holds several times a fair fifth (max ÷ fair in the ring row).",
                look: "table",
            },
            StoryStep {
                query: "nodes=5&vnodes=10&keys=5000",
                text: "Ten tokens per server: each server now owns ten short arcs instead of one long one, and the sum of ten random arcs varies much less. The busiest server is down to about 1.2× its share.",
                look: "table",
            },
            StoryStep {
                query: "nodes=5&vnodes=200&keys=5000",
                text: "Two hundred tokens per server: every share is within a few percent of fair. The price is a bigger token table to search, which is why real systems stop at a few hundred.",
                look: "drawing",
            },
            StoryStep {
                query: "nodes=5&vnodes=200&keys=5000&ev=add~F~1",
                text: "Add a sixth server: it takes about a sixth of the keys, a little from every other server, and no other key moves. With hash(key) mod N, five sixths would have moved (the modulo row).",
                look: "status",
            },
        ],
    },
    Story {
        id: "modulo-vs-ring",
        title: "Why not hash(key) mod N?",
        summary: "Modulo balances perfectly until the server count changes; then almost every key moves, while a ring, rendezvous and jump hash move only the new server's share.",
        steps: &[
            StoryStep {
                query: "nodes=5&vnodes=200&keys=5000&strategy=modulo",
                text: "hash(key) mod 5 spreads keys evenly over five servers: the simplest placement there is.",
                look: "drawing",
            },
            StoryStep {
                query: "nodes=5&vnodes=200&keys=5000&strategy=modulo&ev=add~F~1",
                text: "Add a sixth server and the divisor changes: a key stays only if hash mod 5 equals hash mod 6, so about five keys in six move. For a cache that is a cold start; for a database, a migration.",
                look: "status",
            },
            StoryStep {
                query: "nodes=5&vnodes=200&keys=5000&strategy=ring&ev=add~F~1",
                text: "The same change on a ring: only keys between the new server's tokens and their predecessors move, about one in six, all of them to the new server.",
                look: "status",
            },
            StoryStep {
                query: "nodes=5&vnodes=200&keys=5000&strategy=jump&ev=add~F~1",
                text: "Jump hash gets the same minimal movement with no tokens at all, from a few lines of arithmetic; its limit is that servers are numbered, so only the last one can leave without reshuffling.",
                look: "table",
            },
        ],
    },
];
