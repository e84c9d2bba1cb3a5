//! Logging for both front ends: to stderr, at the level `BRIEFWRIGHT_LOG` names.
//!
//! `BRIEFWRIGHT_LOG` takes `tracing` filter directives (`debug`, `briefwright=trace,warn`, ...).
//! Without it the CLI logs warnings only (its output is for people and scripts), the desktop app
//! logs from `info` up (what it opened, what it refused).

/// Which front end is logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    Cli,
    App,
}

/// The environment variable that sets the log level of the CLI and the app.
pub const LOG_ENV: &str = "BRIEFWRIGHT_LOG";

/// Installs the stderr logger (once; a logger already installed, as in tests, is kept).
pub fn init(front: Front) {
    let default = match front {
        Front::Cli => "warn",
        Front::App => "info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env(LOG_ENV)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match front {
        // A CLI run is short: times add nothing but noise.
        Front::Cli => builder.without_time().try_init(),
        Front::App => builder.try_init(),
    };
}
