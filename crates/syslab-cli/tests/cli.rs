//! The built `syslab` binary, end to end: what it prints for scenarios, examples and links, and
//! how it fails (one `error:` line, exit code 1 for scenarios and 2 for command lines).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use syslab_core::Scenario;

/// What one run of the binary did.
#[derive(Debug)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn syslab(args: &[&str], stdin: &str) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_syslab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // The binary may exit without reading its input; that is not this test's concern.
    let _ = child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes());
    let output = child.wait_with_output().expect("the binary finishes");
    let outcome = Outcome {
        code: output.status.code().expect("an exit code, not a signal"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    };
    assert!(!outcome.stderr.contains("panicked"), "{outcome:?}");
    outcome
}

/// Runs the binary and expects success with nothing on stderr.
#[track_caller]
fn ok(args: &[&str], stdin: &str) -> String {
    let outcome = syslab(args, stdin);
    assert_eq!((outcome.code, outcome.stderr.as_str()), (0, ""), "{args:?}");
    outcome.stdout
}

/// Runs the binary and expects it to fail with `code` and one `error:` line containing `needle`.
#[track_caller]
fn check_error(args: &[&str], stdin: &str, code: i32, needle: &str) {
    let outcome = syslab(args, stdin);
    assert_eq!(outcome.code, code, "{args:?}: {outcome:?}");
    assert_eq!(outcome.stdout, "", "{args:?}");
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: {:?}", outcome.stderr);
    assert!(lines[0].starts_with("error: "), "{args:?}: {}", lines[0]);
    assert!(lines[0].contains(needle), "{args:?}: {}", lines[0]);
}

/// The snapshot the binary should print for `scenario`, pretty or compact.
fn expected_snapshot(scenario: &Scenario, compact: bool) -> String {
    let snapshot = scenario.run().expect("the scenario runs");
    let text = if compact {
        serde_json::to_string(&snapshot)
    } else {
        serde_json::to_string_pretty(&snapshot)
    };
    text.expect("serialize") + "\n"
}

/// Writes `text` to a fresh file for this test run.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    std::fs::write(&path, text).expect("write a temp file");
    path
}

#[test]
fn help_is_printed_for_no_arguments_and_help() {
    let usage = ok(&[], "");
    assert!(usage.contains("usage:"), "{usage}");
    assert!(usage.contains("syslab run INPUT"));
    for args in [&["help"][..], &["--help"], &["-h"], &["run", "--help"]] {
        assert_eq!(ok(args, ""), usage, "{args:?}");
    }
    assert!(ok(&["--version"], "").starts_with("syslab "));
}

#[test]
fn labs_lists_the_registry() {
    let listing = ok(&["labs"], "");
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), syslab_core::LABS.len());
    for (line, lab) in lines.iter().zip(syslab_core::LABS) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let status = match lab.status {
            syslab_core::LabStatus::Ready => "ready",
            syslab_core::LabStatus::Cli => "cli",
            syslab_core::LabStatus::Coming => "coming",
        };
        assert_eq!(words[..2], [lab.id, status], "{line}");
        assert!(line.ends_with(lab.title), "{line}");
    }
}

#[test]
fn example_piped_into_run_prints_the_snapshot() {
    let example = Scenario::example("ring").expect("ring is ready");
    let scenario_json = ok(&["example", "ring"], "");
    assert_eq!(
        scenario_json,
        serde_json::to_string_pretty(&example).expect("serialize") + "\n"
    );
    assert_eq!(
        ok(&["run", "-"], &scenario_json),
        expected_snapshot(&example, false)
    );

    let compact = ok(&["example", "ring", "--compact"], "");
    assert_eq!(compact.lines().count(), 1);
    let snapshot = ok(&["run", "--compact", "-"], &compact);
    assert_eq!(snapshot.lines().count(), 1);
    assert_eq!(snapshot, expected_snapshot(&example, true));
}

#[test]
fn run_reads_a_scenario_file() {
    let json = r#"{"lab":"ring","config":{"seed":7,"vnodes":30,"replication":2,
        "nodes":[{"name":"a","weight":2},{"name":"b"},{"name":"c","pins":[{"vnode":0,"position":0}]}],
        "keys":{"kind":"custom","keys":["x","y","z"]},"strategy":"maglev"},
        "events":[{"add_node":{"name":"d","weight":1}},{"remove_node":{"name":"b"}}]}"#;
    let scenario = Scenario::from_json(json).expect("valid JSON");
    let path = temp_file("run.json", json);
    let path = path.to_str().expect("UTF-8 path");
    assert_eq!(ok(&["run", path], ""), expected_snapshot(&scenario, false));
    // An absolute path to an existing file is a file, even though it starts with '/'.
    assert!(path.starts_with('/'));
}

#[test]
fn run_reads_playground_links() {
    for url in [
        "http://127.0.0.1:8080/ring?vnodes=50&nodes=8",
        "https://example.org/syslab/ring?seed=3&ev=add~F~2#top",
        "/ring?seed=3&r=1&strategy=jump",
        "/embed.html?lab=ring&keys=500",
        "/ring",
    ] {
        let (scenario, notices) = Scenario::from_url(url).expect("a ring link");
        assert_eq!(notices, [], "{url}");
        assert_eq!(
            ok(&["run", url], ""),
            expected_snapshot(&scenario, false),
            "{url}"
        );
    }
    let snapshot: serde_json::Value = serde_json::from_str(&ok(
        &["run", "http://127.0.0.1:8080/ring?vnodes=50&nodes=8"],
        "",
    ))
    .expect("JSON");
    assert_eq!(snapshot["vnodes"], 50);
    assert_eq!(snapshot["n_tokens"], 400);
    assert_eq!(snapshot["nodes"].as_array().map(Vec::len), Some(8));

    // Bad parameters are warnings, with the defaults used instead.
    let outcome = syslab(&["run", "/ring?vnodes=lots&nodes=8&colour=red"], "");
    assert_eq!(outcome.code, 0, "{outcome:?}");
    let warnings: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("warning: vnodes: \"lots\""),
        "{warnings:?}"
    );
    assert!(warnings[1].starts_with("warning: colour: "), "{warnings:?}");
    let (scenario, _) = Scenario::from_url("/ring?nodes=8").expect("a ring link");
    assert_eq!(outcome.stdout, expected_snapshot(&scenario, false));
}

#[test]
fn url_prints_a_share_link_that_runs_the_same() {
    assert_eq!(ok(&["url", "-"], &ok(&["example", "ring"], "")), "/ring\n");
    let link = ok(
        &[
            "url",
            "/ring?seed=7&nodes=A:2,B,C&ev=add~D~1,rm~A&klist=a%0Ab",
        ],
        "",
    );
    assert_eq!(
        link,
        "/ring?seed=7&nodes=A:2,B,C&klist=a%0Ab&ev=add~D~1,rm~A\n"
    );

    let json = r#"{"lab":"ring","config":{"seed":11,"vnodes":20,"epsilon":0.5,
        "nodes":[{"name":"n1","weight":3},{"name":"n2"},{"name":"n3","pins":[{"vnode":2,"position":12345}]}]},
        "events":[{"move_token":{"name":"n2","vnode":0,"position":9223372036854775808}},
                  {"set_weight":{"name":"n2","weight":2}},{"set_vnodes":{"vnodes":15}}],
        "steps":4}"#;
    let path = temp_file("url.json", json);
    let path = path.to_str().expect("UTF-8 path");
    let link = ok(&["url", path], "");
    let link = link.trim_end();
    assert!(link.starts_with("/ring?"), "{link}");
    assert_eq!(ok(&["run", link], ""), ok(&["run", path], ""));

    // Keys with surrounding spaces could not survive a link's one-key-per-line list, so the
    // core refuses them everywhere, with the line that is wrong.
    let padded = r#"{"lab":"ring","config":{"keys":{"kind":"custom","keys":["b"," padded"]}}}"#;
    let outcome = syslab(&["url", "-"], padded);
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(
        outcome
            .stderr
            .contains("key on line 2: starts or ends with a space"),
        "{outcome:?}"
    );
}

#[test]
fn bad_inputs_fail_with_one_clear_line() {
    // Scenario errors: exit code 1.
    check_error(
        &["run", "no-such-file.json"],
        "",
        1,
        "cannot read no-such-file.json",
    );
    check_error(
        &["run", "/no/such/dir/s.json"],
        "",
        1,
        "cannot read /no/such/dir/s.json",
    );
    check_error(
        &["run", "-"],
        "not json",
        1,
        "standard input: could not read the scenario",
    );
    check_error(
        &["run", "-"],
        "",
        1,
        "standard input: could not read the scenario",
    );
    check_error(
        &["run", "-"],
        r#"{"lab":"queue"}"#,
        1,
        "could not read the scenario",
    );
    check_error(
        &["run", "-"],
        r#"{"lab":"ring","version":99}"#,
        1,
        "scenario version 99 is newer",
    );
    check_error(
        &["run", "-"],
        r#"{"lab":"ring","config":{"vnodes":0}}"#,
        1,
        "standard input: virtual nodes per weight must be 1 to 1,000 (got 0)",
    );
    check_error(
        &["run", "-"],
        r#"{"lab":"ring","events":[{"remove_node":{"name":"Z"}}]}"#,
        1,
        "there is no node named \"Z\"",
    );
    let bad = temp_file("bad.json", r#"{"lab":"ring","config":{"replication":9}}"#);
    let bad = bad.to_str().expect("UTF-8 path");
    check_error(
        &["run", bad],
        "",
        1,
        "replication factor 9 needs at least 9 nodes",
    );
    check_error(&["url", bad], "", 1, "replication factor 9");
    check_error(&["run", "/queue?seed=1"], "", 1, "\"queue\" is not a lab");
    check_error(&["run", "http://x.org/?seed=1"], "", 1, "\"\" is not a lab");
    let directory = env!("CARGO_TARGET_TMPDIR");
    check_error(&["run", directory], "", 1, "cannot read");

    // Command-line errors: exit code 2.
    check_error(&["example", "queue"], "", 2, "\"queue\" is not a ready lab");
    check_error(
        &["example", "nope"],
        "",
        2,
        "the labs are: ring, rate-limiter",
    );
    check_error(&["frobnicate"], "", 2, "unknown command \"frobnicate\"");
    check_error(&["run"], "", 2, "`run` needs a scenario file");
    check_error(&["run", "a.json", "b.json"], "", 2, "unexpected \"b.json\"");
    check_error(
        &["run", "--pretty", "a.json"],
        "",
        2,
        "unknown option --pretty",
    );
    check_error(&["labs", "ring"], "", 2, "`labs` takes no arguments");
    check_error(
        &["url", "-", "--compact"],
        "",
        2,
        "`url` has no --compact option",
    );
}

/// A rate-limiter snapshot as JSON, with each algorithm's run found by its id.
struct RateLimitRuns(serde_json::Value);

impl RateLimitRuns {
    fn parse(stdout: &str) -> Self {
        let snapshot: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
        assert_eq!(snapshot["lab"], "rate-limiter", "{stdout}");
        RateLimitRuns(snapshot)
    }

    #[track_caller]
    fn run(&self, algorithm: &str) -> &serde_json::Value {
        let runs = self.0["runs"].as_array().expect("runs is an array");
        runs.iter()
            .find(|run| run["algorithm"] == algorithm)
            .unwrap_or_else(|| panic!("no {algorithm} run among {runs:?}"))
    }

    #[track_caller]
    fn max_in_window(&self, algorithm: &str) -> u64 {
        self.run(algorithm)["max_in_window"]
            .as_u64()
            .expect("max_in_window is a whole number")
    }
}

#[test]
fn rate_limiter_example_piped_into_run_prints_the_snapshot() {
    // The CLI runs the rate limiter whatever the registry says about the site.
    let labs = ok(&["labs"], "");
    assert!(
        labs.lines()
            .any(|line| line.split_whitespace().next() == Some("rate-limiter")),
        "{labs}"
    );
    let example = Scenario::example("rate-limiter").expect("the rate limiter is ready");
    let scenario_json = ok(&["example", "rate-limiter"], "");
    assert_eq!(
        scenario_json,
        serde_json::to_string_pretty(&example).expect("serialize") + "\n"
    );
    let snapshot = ok(&["run", "-"], &scenario_json);
    assert_eq!(snapshot, expected_snapshot(&example, false));
    // `run` reports the whole run, whatever the scenario's steps say.
    let runs = RateLimitRuns::parse(&snapshot);
    assert_eq!(runs.0["finished"], true, "{snapshot}");
    assert_eq!(runs.0["now"], runs.0["duration"], "{snapshot}");

    let compact = ok(&["example", "rate-limiter", "--compact"], "");
    assert_eq!(compact.lines().count(), 1);
    assert_eq!(
        ok(&["run", "--compact", "-"], &compact),
        expected_snapshot(&example, true)
    );
    assert_eq!(ok(&["url", "-"], &scenario_json), "/rate-limiter\n");
}

#[test]
fn presets_lists_ids_and_titles() {
    let listing = ok(&["presets", "rate-limiter"], "");
    let presets = <syslab_core::ratelimit::RateLimitLab as syslab_core::Lab>::presets();
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), presets.len(), "{listing}");
    for (line, preset) in lines.iter().zip(&presets) {
        assert_eq!(line.split_whitespace().next(), Some(preset.id), "{line}");
        assert!(line.ends_with(preset.title), "{line}");
    }
    assert!(listing.starts_with("boundary-burst "), "{listing}");

    let ring = ok(&["presets", "ring"], "");
    assert!(ring.starts_with("ring has no presets"), "{ring}");

    check_error(&["presets", "queue"], "", 2, "\"queue\" is not a ready lab");
    check_error(
        &["presets", "nope"],
        "",
        2,
        "the labs are: ring, rate-limiter",
    );
    check_error(&["presets"], "", 2, "`presets` needs a lab");
}

#[test]
fn example_prints_a_preset_that_runs_like_its_link() {
    for syslab_core::Preset {
        id,
        scenario: preset,
        ..
    } in <syslab_core::ratelimit::RateLimitLab as syslab_core::Lab>::presets()
    {
        let scenario = Scenario::RateLimiter(preset);
        let json = ok(&["example", "rate-limiter", "--preset", id], "");
        assert_eq!(
            json,
            serde_json::to_string_pretty(&scenario).expect("serialize") + "\n",
            "{id}"
        );
        let snapshot = ok(&["run", "-"], &json);
        assert_eq!(snapshot, expected_snapshot(&scenario, false), "{id}");
        assert_eq!(
            ok(&["run", &format!("/rate-limiter?preset={id}")], ""),
            snapshot,
            "{id}"
        );
    }
    assert_eq!(
        ok(
            &[
                "example",
                "rate-limiter",
                "--preset=flash-sale",
                "--compact"
            ],
            ""
        ),
        ok(
            &[
                "example",
                "--compact",
                "rate-limiter",
                "--preset",
                "flash-sale"
            ],
            ""
        )
    );

    check_error(
        &["example", "rate-limiter", "--preset", "nope"],
        "",
        2,
        "\"nope\" is not a preset of rate-limiter; the presets are: boundary-burst, ",
    );
    check_error(
        &["example", "ring", "--preset", "boundary-burst"],
        "",
        2,
        "ring has no presets",
    );
    check_error(
        &["example", "cache", "--preset", "x"],
        "",
        2,
        "\"x\" is not a preset of cache",
    );
    check_error(
        &["run", "-", "--preset", "boundary-burst"],
        "",
        2,
        "`run` has no --preset option",
    );
}

#[test]
fn boundary_burst_preset_shows_the_fixed_windows_double_burst() {
    let (scenario, notices) =
        Scenario::from_url("/rate-limiter?preset=boundary-burst").expect("a rate-limiter link");
    assert_eq!(notices, []);
    let Scenario::RateLimiter(preset) = &scenario else {
        panic!("a rate-limiter scenario, got {scenario:?}");
    };
    let limit = u64::from(preset.config.limit);
    let stdout = ok(&["run", "/rate-limiter?preset=boundary-burst"], "");
    assert_eq!(stdout, expected_snapshot(&scenario, false));
    let runs = RateLimitRuns::parse(&stdout);

    // The fixed window resets its counter at the boundary: the spike's requests just before it
    // and just after it are all admitted, twice the limit within one window's length.
    let fixed = runs.max_in_window("fixed_window");
    assert_eq!(
        fixed,
        2 * limit,
        "the boundary-burst preset should show the fixed window admitting twice the limit \
         ({}) in one window; it admitted at most {fixed} (max_over_limit {}), so the spike did \
         not fill both sides of the boundary with admitted requests",
        2 * limit,
        runs.run("fixed_window")["max_over_limit"]
    );
    assert_eq!(runs.run("fixed_window")["max_over_limit"], 2.0);
    // The sliding log is exact: never more than the limit in any window.
    let log = runs.max_in_window("sliding_log");
    assert!(
        log <= limit,
        "the sliding log admitted {log} > {limit} in one window"
    );
}

#[test]
fn rate_limiter_links_warn_about_bad_parameters_and_still_run() {
    let outcome = syslab(&["run", "/rate-limiter?limit=abc&window=0"], "");
    assert_eq!(outcome.code, 0, "{outcome:?}");
    let warnings: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("warning: limit: \"abc\""),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("warning: window: \"0\""),
        "{warnings:?}"
    );
    // Both fall back to their defaults: the run is the default scenario's.
    let example = Scenario::example("rate-limiter").expect("the rate limiter is ready");
    assert_eq!(outcome.stdout, expected_snapshot(&example, false));

    // A bad preset is a warning too, and the rest of the link still applies.
    let outcome = syslab(&["run", "/rate-limiter?preset=nope&limit=7"], "");
    assert_eq!(outcome.code, 0, "{outcome:?}");
    assert!(
        outcome.stderr.starts_with("warning: preset: \"nope\""),
        "{outcome:?}"
    );
    let runs = RateLimitRuns::parse(&outcome.stdout);
    let (limited, _) = Scenario::from_url("/rate-limiter?limit=7").expect("a rate-limiter link");
    assert_eq!(outcome.stdout, expected_snapshot(&limited, false));
    assert!(runs.max_in_window("token_bucket") > 0);
}

#[test]
fn rate_limiter_share_links_run_the_same() {
    for id in ["boundary-burst", "racy-store"] {
        let link = ok(&["url", &format!("/rate-limiter?preset={id}")], "");
        let link = link.trim_end();
        assert!(link.starts_with("/rate-limiter?"), "{link}");
        assert!(
            !link.contains("preset="),
            "the link spells the scenario out: {link}"
        );
        assert_eq!(
            ok(&["run", link], ""),
            ok(&["run", &format!("/rate-limiter?preset={id}")], ""),
            "{link}"
        );
        // The embed page's form of the same link.
        let embed = format!(
            "/embed.html?lab=rate-limiter&{}",
            &link["/rate-limiter?".len()..]
        );
        assert_eq!(ok(&["run", &embed], ""), ok(&["run", link], ""), "{embed}");
    }
    let link = ok(&["url", "/rate-limiter?preset=boundary-burst"], "");
    for param in [
        "alg=fixed_window",
        "by=global",
        "traffic=spike",
        "dur=10000",
    ] {
        assert!(
            link.split(['?', '&']).any(|p| p == param),
            "{param} in {link}"
        );
    }
}

#[test]
fn trace_replays_a_file_or_standard_input_through_every_policy() {
    let dir = std::env::temp_dir().join(format!("syslab-cli-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("trace.csv");
    let mut text = String::from("key,op\n");
    for i in 0..2_000u32 {
        text.push_str(&format!(
            "item{},{}\n",
            (i * i) % 101,
            if i % 4 == 0 { "w" } else { "r" }
        ));
    }
    text.push_str("oops,frob\n");
    std::fs::write(&path, &text).expect("write the trace");
    let path = path.to_str().expect("UTF-8 path");

    let out = ok(&["trace", path, "--size", "10", "--policy", "sieve"], "");
    assert!(out.contains("2000 requests, "), "{out}");
    assert!(out.contains("1 malformed lines skipped"), "{out}");
    assert!(
        out.contains("skipped line 2002: \"frob\" is not an operation"),
        "{out}"
    );
    assert!(out.contains("hit ratio with 10 objects"), "{out}");
    assert!(out.contains("Bélády (optimal)"), "{out}");
    assert!(out.contains("miss-ratio curve"), "{out}");
    // SIEVE, the chosen policy, is listed first.
    let first_row = out.lines().find(|l| l.contains('%')).expect("a row");
    assert!(first_row.trim_start().starts_with("SIEVE"), "{out}");

    let json = ok(&["trace", "-", "--json"], &text);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["trace"]["skipped_lines"], 1);
    assert_eq!(value["rows"].as_array().map(Vec::len), Some(11));

    check_error(&["trace", path, "--strict"], "", 1, "line 2002");
    check_error(
        &["trace", "-"],
        "\n# nothing\n",
        1,
        "the trace has no requests",
    );
    check_error(
        &["trace", "-"],
        "a,zap\r,\r",
        1,
        "all 2 lines with content are malformed (line 1: \"zap\" is not an operation",
    );
    check_error(
        &["trace", "-"],
        "a\0\n\0b\0\n\0",
        1,
        "the file looks like UTF-16; save it as UTF-8",
    );
    check_error(
        &["trace", path, "--policy", "nope"],
        "",
        2,
        "\"nope\" is not a policy",
    );
    check_error(
        &["trace", path, "--size", "0"],
        "",
        2,
        "--size \"0\" is not a cache size",
    );
    check_error(
        &["trace", path, "--size", "-1"],
        "",
        2,
        "--size \"-1\" is not a cache size",
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cache_examples_and_presets_run() {
    let presets = ok(&["presets", "cache"], "");
    assert!(presets.contains("scan-pollution"), "{presets}");
    let scenario = ok(&["example", "cache", "--preset", "write-back-crash"], "");
    let snapshot = ok(&["run", "-", "--compact"], &scenario);
    let value: serde_json::Value = serde_json::from_str(&snapshot).expect("JSON");
    assert_eq!(value["lab"], "cache");
    assert!(
        value["counts"]["lost_writes"].as_u64().unwrap_or(0) > 0,
        "{snapshot}"
    );
    let link = ok(&["url", "-"], &scenario);
    assert!(link.starts_with("/cache?"), "{link}");
}

#[test]
fn load_balancer_presets_run_like_their_links() {
    let listing = ok(&["presets", "load-balancer"], "");
    let presets = <syslab_core::lb::LoadBalancerLab as syslab_core::Lab>::presets();
    assert_eq!(listing.lines().count(), presets.len(), "{listing}");
    for syslab_core::Preset {
        id,
        scenario: preset,
        ..
    } in presets
    {
        assert!(listing.contains(id), "{listing}");
        let scenario = Scenario::LoadBalancer(preset);
        let json = ok(&["example", "load-balancer", "--preset", id], "");
        let snapshot = ok(&["run", "-"], &json);
        assert_eq!(snapshot, expected_snapshot(&scenario, false), "{id}");
        assert_eq!(
            ok(&["run", &format!("/load-balancer?preset={id}")], ""),
            snapshot,
            "{id}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&snapshot).expect("JSON");
        assert_eq!(parsed["lab"], "load-balancer");
        // Every generated request ended exactly once.
        for run in parsed["runs"].as_array().expect("runs") {
            let c = &run["counts"];
            let n = |k: &str| c[k].as_u64().expect("a count");
            assert_eq!(
                n("generated"),
                n("successes") + n("timeouts") + n("rejections"),
                "{id}: {c}"
            );
        }
    }
}

/// `syslab params LAB` lists every parameter of the lab's schema with what it accepts.
#[test]
fn params_lists_every_schema_parameter() {
    for id in syslab_core::LAB_IDS {
        let listing = ok(&["params", id], "");
        let params = Scenario::params(id).expect("a registered lab");
        assert!(!params.is_empty(), "{id}");
        for p in &params {
            assert!(
                listing
                    .lines()
                    .any(|l| l.starts_with(&format!("{} ", p.key))),
                "{id}: {} missing from\n{listing}",
                p.key
            );
            assert!(listing.contains(&p.accepts), "{id}: {}", p.key);
        }
    }
    check_error(&["params", "nope"], "", 2, "not a ready lab");
}

#[test]
fn unknown_json_fields_are_warned_about_and_ignored() {
    let mut value: serde_json::Value =
        serde_json::from_str(&ok(&["example", "ring"], "")).expect("JSON");
    value["config"]["vnode"] = 50.into();
    value["config"]["nodes"][1]["wieght"] = 2.into();
    value["stpes"] = 3.into();
    let outcome = syslab(&["url", "-"], &value.to_string());
    assert_eq!(outcome.code, 0, "{outcome:?}");
    let warnings: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(
        warnings,
        [
            "warning: standard input: unknown field \"config.nodes[1].wieght\" is ignored",
            "warning: standard input: unknown field \"config.vnode\" is ignored",
            "warning: standard input: unknown field \"stpes\" is ignored",
        ]
    );
    // Every preset of every lab, written out by the CLI, reads back without a warning.
    for lab in syslab_core::LAB_IDS {
        for (info, _) in Scenario::presets(lab).expect("a lab") {
            let json = ok(&["example", lab, "--preset", info.id], "");
            ok(&["url", "-"], &json);
        }
    }
}

#[test]
fn check_prints_a_table_and_refuses_unknown_labs() {
    let table = ok(&["check", "rate-limiter"], "");
    let header = table.lines().next().unwrap_or_default();
    for column in [
        "check",
        "expected",
        "measured",
        "tolerance",
        "pass",
        "source",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert!(
        table.contains("rate-limiter/fixed-window-double-burst"),
        "{table}"
    );
    assert!(
        table.lines().any(|l| l.ends_with("checks passed")),
        "{table}"
    );
    let unknown = syslab(&["check", "nope"], "");
    assert_eq!(unknown.code, 2, "{unknown:?}");
    let extra = syslab(&["check", "ring", "cache"], "");
    assert_eq!(extra.code, 2, "{extra:?}");
}
