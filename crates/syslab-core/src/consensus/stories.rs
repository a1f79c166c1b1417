//! The consensus lab's stories (see [`crate::story`]).

use crate::story::{Story, StoryStep};

pub static STORIES: &[Story] = &[
    Story {
        id: "leader-election",
        title: "How Raft replaces a crashed leader",
        summary: "Followers wait for heartbeats; when the leader stops, the first election timer to run out starts an election, and randomised timeouts keep the candidates from splitting the vote.",
        steps: &[
            StoryStep {
                query: "fault=3000:crash:L&step=1450",
                text: "The leader sends a heartbeat every 50 ms; each follower's ring is its election timer, restarted by every heartbeat. At 3 s the leader crashes.",
                look: "drawing",
            },
            StoryStep {
                query: "fault=3000:crash:L&step=1700",
                text: "The first timer to run out (150–300 ms, drawn at random) makes its server a candidate in the next term; the others vote for it and it leads. The table shows how long the cluster was without a leader.",
                look: "table",
            },
            StoryStep {
                query: "emin=150&emax=150&fault=3000:crash:L&step=2500",
                text: "Without randomness every follower times out at the same moment, votes for itself, and the election is repeated again and again: the paper measured more than 10 seconds without a leader.",
                look: "status",
            },
        ],
    },
    Story {
        id: "figure-8",
        title: "Why a leader commits only entries of its own term",
        summary: "The paper's Figure 8: counting replicas of an entry from an earlier term is not enough to commit it.",
        steps: &[
            StoryStep {
                query: "emin=400&emax=500&jit=0&rate=0&dur=1000&fault=0:timeout:1,100:write,200:cut:1>3,200:cut:1>4,200:cut:1>5,210:write,250:crash:1,250:heal:all,260:timeout:5,290:cut:5>1,290:cut:5>2,290:cut:5>3,290:cut:5>4,300:write,320:crash:5,320:heal:all,320:restart:1,330:timeout:1,360:timeout:1,420:crash:1,420:restart:5,430:timeout:5,460:timeout:5&step=205",
                text: "S1 leads term 3 and has copied its entry from term 1 at index 2 to a majority (S1 to S4). S5 holds a different entry there, from term 2.",
                look: "drawing",
            },
            StoryStep {
                query: "unsafe=1&emin=400&emax=500&jit=0&rate=0&dur=1000&fault=0:timeout:1,100:write,200:cut:1>3,200:cut:1>4,200:cut:1>5,210:write,250:crash:1,250:heal:all,260:timeout:5,290:cut:5>1,290:cut:5>2,290:cut:5>3,290:cut:5>4,300:write,320:crash:5,320:heal:all,320:restart:1,330:timeout:1,360:timeout:1,420:crash:1,420:restart:5,430:timeout:5,460:timeout:5&step=500",
                text: "With the unsafe rule S1 commits index 2 by counting, then crashes. S5's last entry has the later term, so S2, S3 and S4 vote for it: a leader without a committed entry. The safety banner names the property and the events before it.",
                look: "status",
            },
            StoryStep {
                query: "emin=400&emax=500&jit=0&rate=0&dur=1000&fault=0:timeout:1,100:write,200:cut:1>3,200:cut:1>4,200:cut:1>5,210:write,250:crash:1,250:heal:all,260:timeout:5,290:cut:5>1,290:cut:5>2,290:cut:5>3,290:cut:5>4,300:write,320:crash:5,320:heal:all,320:restart:1,330:timeout:1,360:timeout:1,420:crash:1,420:restart:5,430:timeout:5,460:timeout:5&step=500",
                text: "With Raft's rule the same history is harmless: S1 never committed the old entry (it had no entry of its own term yet), so S5 overwriting it breaks nothing and the banner stays green.",
                look: "status",
            },
        ],
    },
];
