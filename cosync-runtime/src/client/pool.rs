//! One `reqwest::Client` (so one connection pool) per tokio runtime.
//!
//! A hyper connection is driven by a task spawned on the runtime that opened it. Shared across
//! runtimes, a pool hands a request to a connection whose runtime may be idle (a current-thread
//! runtime outside `block_on`: the request waits until it times out) or shutting down (the
//! request fails with "runtime dropped the dispatch task"). Keeping one pool per runtime avoids
//! both; a pool goes when its runtime shuts down.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::runtime::{Handle, Id};
use tokio::sync::oneshot;

use super::Error;

pub(super) struct Pools {
    connect_timeout: Duration,
    state: Mutex<State>,
}

struct State {
    /// Built with the client (to report a TLS set-up failure early), not yet used on a runtime.
    spare: Option<reqwest::Client>,
    pools: Vec<Pool>,
}

struct Pool {
    /// `None` when a call was made outside any runtime (reqwest then fails on its own).
    runtime: Option<Id>,
    http: reqwest::Client,
    /// The other end is held by a task on `runtime`, which the runtime drops when it shuts down.
    /// Dropping this (with the client) ends that task.
    runtime_alive: Option<oneshot::Sender<()>>,
}

impl Pool {
    fn runtime_gone(&self) -> bool {
        self.runtime_alive
            .as_ref()
            .is_some_and(oneshot::Sender::is_closed)
    }
}

fn build(connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .user_agent(concat!("cosync-rs/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Error::Transport)
}

impl Pools {
    pub(super) fn new(connect_timeout: Duration) -> Result<Self, Error> {
        Ok(Pools {
            connect_timeout,
            state: Mutex::new(State {
                spare: Some(build(connect_timeout)?),
                pools: Vec::new(),
            }),
        })
    }

    /// The client of the runtime this is called on, made on its first call there.
    pub(super) fn current(&self) -> Result<reqwest::Client, Error> {
        let handle = Handle::try_current().ok();
        let runtime = handle.as_ref().map(Handle::id);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // Runtime ids may be reused once a runtime is gone: forget the dead ones first.
        state.pools.retain(|pool| !pool.runtime_gone());
        if let Some(pool) = state.pools.iter().find(|pool| pool.runtime == runtime) {
            return Ok(pool.http.clone());
        }
        let http = match state.spare.take() {
            Some(http) => http,
            None => build(self.connect_timeout)?,
        };
        let runtime_alive = handle.map(|handle| {
            let (alive, gone) = oneshot::channel::<()>();
            handle.spawn(async move {
                // Resolves when the client is dropped; the runtime drops it when it shuts down.
                let _ = gone.await;
            });
            alive
        });
        tracing::debug!(
            pools = state.pools.len() + 1,
            "new connection pool for this runtime"
        );
        state.pools.push(Pool {
            runtime,
            http: http.clone(),
            runtime_alive,
        });
        Ok(http)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.pools.retain(|pool| !pool.runtime_gone());
        state.pools.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn one_pool_per_live_runtime() {
        let pools = Pools::new(Duration::from_secs(1)).unwrap();
        let a = runtime();
        let b = runtime();
        a.block_on(async { pools.current().unwrap() });
        a.block_on(async { pools.current().unwrap() });
        assert_eq!(pools.len(), 1, "one runtime, one pool");
        b.block_on(async { pools.current().unwrap() });
        assert_eq!(pools.len(), 2, "another runtime, another pool");
        drop(a);
        assert_eq!(
            pools.len(),
            1,
            "the pool of a runtime that shut down is dropped"
        );
        let c = runtime();
        c.block_on(async { pools.current().unwrap() });
        assert_eq!(pools.len(), 2);
        drop((b, c));
        assert_eq!(pools.len(), 0);
    }

    #[test]
    fn the_watch_task_ends_with_the_client() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let pools = Pools::new(Duration::from_secs(1)).unwrap();
        rt.block_on(async { pools.current().unwrap() });
        assert_eq!(rt.metrics().num_alive_tasks(), 1);
        drop(pools);
        rt.block_on(tokio::task::yield_now());
        assert_eq!(rt.metrics().num_alive_tasks(), 0);
    }
}
