//! Issue 18's office conveniences that are not one command's output: shell
//! completions, the man page, `--help` headings, the config file.

use crate::common::Env;

#[test]
fn issue_18_completions_and_man_page_are_generated_from_the_cli() {
    let env = Env::new();
    for (shell, marker) in [
        ("bash", "_coscreen()"),
        ("zsh", "#compdef coscreen"),
        ("fish", "complete -c coscreen"),
    ] {
        let run = env.run(&["completions", shell], "");
        run.assert_exit(0).stdout_contains(marker);
        assert!(
            run.stdout().contains("partner-country"),
            "{shell} completes the screen flags"
        );
    }
    env.run(&["completions", "tcsh"], "").assert_exit(2);
    let man = env.run(&["man"], "");
    man.assert_exit(0)
        .stdout_contains(".TH coscreen")
        .stdout_contains("screen");
}

#[test]
fn issue_18_help_groups_options_under_headings() {
    let env = Env::new();
    let help = env.run(&["screen", "--help"], "");
    help.assert_exit(0);
    let text = help.stdout();
    let at = |h: &str| {
        text.find(h)
            .unwrap_or_else(|| panic!("heading {h} in screen --help:\n{text}"))
    };
    let (home, partners, network, output) = (
        at("Home side and input:"),
        at("Partners and years:"),
        at("Network:"),
        at("Output:"),
    );
    // Each flag sits under its heading.
    let under = |flag: &str, start: usize| {
        let i = text[start..].find(flag).map(|i| i + start).unwrap();
        let next = [home, partners, network, output]
            .into_iter()
            .filter(|h| *h > start)
            .min()
            .unwrap_or(text.len());
        assert!(i < next || next == start, "{flag} under its heading");
    };
    under("--partner-country", partners);
    under("--max-requests", network);
    under("--decisions", output);
    under("--home", home);
}
