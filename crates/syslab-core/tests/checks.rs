//! Every published result a lab declares (`Lab::checks`) reproduces: the same declarations
//! `syslab check` prints, so a check is written once.

use syslab_core::check::{Check, Tolerance};
use syslab_core::contract::erase_check;
use syslab_core::lb::LoadBalancerLab;
use syslab_core::{LAB_IDS, checks};

#[test]
fn every_check_passes() {
    let all = checks();
    let mut failed = Vec::new();
    for check in &all {
        let outcome = check.run();
        println!(
            "{}/{}: expected {} {}, measured {:?} ({})",
            check.lab,
            check.id,
            check.expected,
            check.unit,
            outcome.measured,
            check.tolerance.describe()
        );
        if !outcome.pass {
            failed.push(format!(
                "{}/{}: {:?}",
                check.lab, check.id, outcome.measured
            ));
        }
    }
    assert!(failed.is_empty(), "failed checks: {failed:#?}");
}

#[test]
fn every_lab_has_checks_with_unique_ids_and_sources() {
    let all = checks();
    for lab in LAB_IDS {
        assert!(
            all.iter().any(|c| c.lab == *lab),
            "{lab} declares no checks"
        );
    }
    let mut ids: Vec<String> = all.iter().map(|c| format!("{}/{}", c.lab, c.id)).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "duplicate check ids");
    for c in &all {
        assert!(!c.source.trim().is_empty(), "{} has no source", c.id);
        assert!(
            c.link().starts_with(&format!("/{}?", c.lab)),
            "{}",
            c.link()
        );
    }
}

#[test]
fn a_check_fails_when_the_figure_is_off_or_the_link_is_misread() {
    // The M/M/1 scenario at load 0.5 measures about 2 ms: claiming 3 ms must fail.
    let mm1 = |expected, query| Check::<LoadBalancerLab> {
        id: "wrong",
        name: "a wrong claim",
        source: "this test",
        query,
        expected,
        tolerance: Tolerance::Rel(0.03),
        unit: "ms",
        measure: |lab| Ok(lab.config().cost_ms),
    };
    let right = erase_check::<LoadBalancerLab>(mm1(1.0, "cost=1"));
    assert!(right.run().pass);
    let wrong = erase_check::<LoadBalancerLab>(mm1(3.0, "cost=1"));
    assert!(!wrong.run().pass);
    // A parameter the link does not read as written is an error, never a silent default.
    let misread = erase_check::<LoadBalancerLab>(mm1(10.0, "cost=banana"));
    let outcome = misread.run();
    assert!(!outcome.pass);
    assert!(
        outcome
            .measured
            .unwrap_err()
            .to_string()
            .contains("not read as written"),
    );
}
