//! The ring lab's explainer: what the picture shows, the theory behind each number, and
//! scenarios to try (each one a share link, so they also show how URL state works).

use yew::prelude::*;

/// Scenarios worth opening, as (title, what to look for, query).
const TRY: [(&str, &str, &str); 5] = [
    (
        "Why not hash % N?",
        "Colour the ring by modulo hashing and add a node: about 5 keys in 6 move, where the ring moves 1 in 6.",
        "strategy=modulo&ev=add~F~1",
    ),
    (
        "One token per node",
        "With a single token each, arcs are wildly uneven: one node can hold several times its fair share.",
        "vnodes=1&nodes=6&keys=5000",
    ),
    (
        "Vnodes even things out",
        "200 tokens per node bring every node within a few percent of fair; compare σ with the one-token ring.",
        "vnodes=200&nodes=6&keys=5000",
    ),
    (
        "Jump hash loses a middle node",
        "Jump hash numbers its buckets, so removing B renumbers C, D, E: far more than the ideal fifth moves.",
        "strategy=jump&ev=rm~B",
    ),
    (
        "Bounded loads",
        "With ε = 0.1 no node holds more than 1.1× the mean; keys overflow clockwise to the next node with room.",
        "strategy=bounded&eps=0.1&vnodes=2&keys=5000",
    ),
];

#[function_component(RingGuide)]
pub fn ring_guide() -> Html {
    html! {
        <section class="guide" aria-label="About this lab">
            <div class="guide-text">
                <h2>{ "What you are looking at" }</h2>
                <p>
                    { "The circle is the 64-bit output of XXH64. Each node puts " }<em>{ "tokens" }</em>
                    { " (the ticks) on it, weight × vnodes of them, and every key (a dot) belongs to the first token clockwise from its own hash. Dragging a node moves its first token; the keys between its old and new position change owner, and the counter compares that with the ideal: the least share of keys any scheme must move to reach the new balance (K/N when a node joins, the node's share when it leaves). A dragged token hands its old arc to its successor and takes a new arc from another node, so the ring moves both arcs while the new shares alone would need only the larger one: that is why a drag can move up to twice its ideal." }
                </p>
                <p>
                    { "The table runs five other schemes on the same keys. Modulo is perfectly even and moves almost everything. Rendezvous scores every node per key and moves only what it must, at O(N) per lookup. Jump hash is tiny and fast but can only drop its last bucket cleanly. Maglev fills a prime-sized table from per-node permutations for near-perfect balance and O(1) lookups. Bounded loads caps every node at ⌈(1+ε)·mean⌉ keys, trading a little extra movement for a hard ceiling." }
                </p>
                <p>
                    { "Replication stores each key on the next R distinct nodes clockwise, so losing one node loses no data while R > 1. Step and Play apply seeded random changes — joins, departures, moves and weight changes — and chart the keys moved against the ideal for each." }
                </p>
            </div>
            <div class="guide-try">
                <h2>{ "Try this" }</h2>
                <ul>
                    { for TRY.iter().map(|(title, what, query)| html! {
                        <li><a href={format!("ring?{query}")}>{ *title }</a><span>{ *what }</span></li>
                    }) }
                </ul>
            </div>
        </section>
    }
}
