use std::collections::HashMap;
use std::process::ExitCode;

use galla_sync_server::config::{self, Invocation};
use galla_sync_server::StartupError;

fn main() -> ExitCode {
    match start() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("galla-server: {err}");
            err.exit_code()
        }
    }
}

fn start() -> Result<(), StartupError> {
    let args = std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string().map_err(|arg| {
                config::ConfigError::Usage(format!("argument {arg:?} is not valid UTF-8"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (config_path, command) = match config::parse_args(args)? {
        Invocation::Help => {
            println!("{}", config::USAGE);
            return Ok(());
        }
        Invocation::Version => {
            println!("galla-server {}", env!("CARGO_PKG_VERSION"));
            return Ok(());
        }
        Invocation::Run { config_path } => (config_path, None),
        Invocation::Command {
            config_path,
            command,
        } => (config_path, Some(command)),
    };
    // Variables that are not UTF-8 cannot be ours; skipping them beats
    // std::env::vars(), which panics on them.
    let env: HashMap<String, String> = std::env::vars_os()
        .filter_map(|(key, value)| Some((key.into_string().ok()?, value.into_string().ok()?)))
        .collect();
    let config = config::load(config_path.as_deref(), &env)?;
    galla_sync_server::init_tracing(&config.log)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| StartupError::Runtime {
            reason: err.to_string(),
        })?;
    match command {
        None => runtime.block_on(galla_sync_server::run(config)),
        Some(command) => runtime.block_on(galla_sync_server::cli::run(command, &config, &env)),
    }
}
