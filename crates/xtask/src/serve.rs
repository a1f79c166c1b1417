//! `cargo xtask serve`: installs the build tools, then runs `trunk serve` (127.0.0.1:8080).

use crate::setup::{self, SetupConfig};
use crate::{Ctx, Result, run_cmd, step};

pub fn run(ctx: &mut Ctx, trunk_args: &[String]) -> Result<()> {
    setup::run(ctx, &SetupConfig { browser: false })?;
    step("trunk serve (Trunk.toml sets the address)");
    run_cmd(ctx.cmd("trunk").arg("serve").args(trunk_args))
}
