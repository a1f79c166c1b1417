//! The replication lab's stories (see [`crate::story`]).

use crate::story::{Story, StoryStep};

pub static STORIES: &[Story] = &[
    Story {
        id: "staleness-window",
        title: "How stale is eventually consistent?",
        summary: "With R = W = 1 a read right after a write misses it about one time in four, and the window closes within tens of milliseconds; R + W > N closes it entirely.",
        steps: &[
            StoryStep {
                query: "lat=exponential&wmean=20&amean=20&probes=50000",
                text: "Three replicas, R = W = 1, exponential delays of 20 ms. A read issued the moment a write is acknowledged misses it 25% of the time: its one replica is one of the two that did not acknowledge (the 67% line, C(2,1)/C(3,1)) and the write has not reached it yet either. The dashed closed form agrees; both halve every 14 ms.",
                look: "chart",
            },
            StoryStep {
                query: "r=2&lat=exponential&wmean=20&amean=20&probes=50000",
                text: "Waiting for two replies (R = 2): both can still miss the one replica that acknowledged (33%, C(2,2)/C(3,2)), but rarely before the write reaches one of them: the curve starts at 4% and falls twice as fast, since either reader catching the write is enough.",
                look: "chart",
            },
            StoryStep {
                query: "r=2&w=2&lat=exponential&wmean=20&amean=20&probes=50000&step=1001",
                text: "R = W = 2: R + W > N, so every read quorum shares a replica with every write quorum. The curve is flat at zero and the table counts no stale read, at the price of waiting for the second-fastest replica on every operation.",
                look: "table",
            },
        ],
    },
    Story {
        id: "partition-cp-ap",
        title: "A partition: refuse or answer?",
        summary: "Cut one of three replicas off: majority quorums refuse the minority's clients and never read stale data; answering anyway serves everyone and pays in stale reads.",
        steps: &[
            StoryStep {
                query: "preset=partition-cp&step=1001",
                text: "Three replicas with R = W = 2; from 3 s to 7 s replica 1 cannot reach the other two. Its clients' operations cannot gather two replies and are refused (CP): 68 writes and 57 reads. No read is stale.",
                look: "table",
            },
            StoryStep {
                query: "preset=partition-ap&step=1001",
                text: "The same partition, but coordinators answer with whatever replied by the timeout (AP). Nothing is refused; instead replica 1's clients read values the majority has overwritten: 22 stale reads. Which is worse depends on the data: a balance wants CP, a shopping cart AP.",
                look: "table",
            },
        ],
    },
    Story {
        id: "leader-failover",
        title: "A leader fails: what do clients lose?",
        summary: "With asynchronous followers a failover loses writes the leader had acknowledged but not shipped; synchronous followers lose none and refuse instead. Without fencing, a leader cut off from its followers goes on acknowledging writes that are thrown away when the partition heals.",
        steps: &[
            StoryStep {
                query: "preset=async-failover&step=1001",
                text: "Three replicas; r1 leads and streams its log to r2 and r3 asynchronously, about 100 ms behind. At 3 s r1 crashes with its last writes unshipped; a second later the followers, having heard nothing, promote the more up-to-date one. r1 had told clients yes to 15 writes that neither follower had: acknowledged, then lost.",
                look: "table",
            },
            StoryStep {
                query: "preset=sync-failover&step=1001",
                text: "The same crash with synchronous followers: r1 answered yes only once both had a write, so the promoted follower holds every one and nothing is lost, and the history stays linearizable. The price is availability: with r1 down, every write waits for a follower that is not there, and 528 writes are refused until r1 returns at 6 s.",
                look: "table",
            },
            StoryStep {
                query: "preset=split-brain&step=1001",
                text: "No crash this time: from 3 s to 7 s r1 is cut off from r2 and r3, who promote r2. Without fencing r1 still believes it leads and says yes to 45 more writes from its own clients. When the link heals, r1 rejoins r2's history and drops its own: 66 acknowledged writes lost in all (the other 21 came before the promotion and were never shipped).",
                look: "table",
            },
            StoryStep {
                query: "preset=split-brain-fenced&step=1001",
                text: "With fencing r1 needs a lease, renewed by a majority answering its heartbeats. Cut off, it loses the lease before r2 is promoted and refuses writes instead: none acknowledged by a deposed leader, 95 refused. Ten are still lost, acknowledged in the second before the lease ran out: asynchronous replication's own cost, which no fencing removes.",
                look: "table",
            },
        ],
    },
];
