//! A small harness for end-to-end tests of the real app window: an Xvfb display,
//! tauri-driver (which drives WebKitWebDriver, which starts the app), fixture files, and a
//! WebDriver session per scenario with a screenshot when it fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::*;

pub type TestResult<T = ()> = Result<T, String>;

/// The app binary under test: the one cargo builds before this test, or `PUSTAKA_APP`
/// (e.g. a release build for measurements).
pub fn app_path() -> PathBuf {
    std::env::var_os("PUSTAKA_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_pustaka-desktop")))
}

/// Longest wait for anything to appear (debug builds under Xvfb are slow to start).
pub const WAIT: Duration = Duration::from_secs(30);

pub struct Env {
    xvfb: Child,
    driver: Child,
    pub port: u16,
    pub display: String,
    _scratch: tempfile::TempDir,
    pub root: PathBuf,
    pub shots: PathBuf,
}

fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for_port(port: u16, child: &mut Child, what: &str) -> TestResult {
    let start = Instant::now();
    while start.elapsed() < WAIT {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{what} exited early: {status}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{what} did not listen on port {port}"))
}

fn terminate(child: &mut Child) {
    // SIGTERM first: tauri-driver then stops WebKitWebDriver instead of orphaning it.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Env {
    pub fn start() -> TestResult<Env> {
        let missing: Vec<&str> = ["Xvfb", "tauri-driver", "WebKitWebDriver", "xclip"]
            .into_iter()
            .filter(|p| find_program(p).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "missing {}: run `make setup` (scripts/setup.sh installs them)",
                missing.join(", ")
            ));
        }
        let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
        let root = scratch.path().to_path_buf();
        for d in ["data", "config", "cache", "runtime", "bin"] {
            std::fs::create_dir_all(root.join(d)).map_err(|e| e.to_string())?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(
                root.join("runtime"),
                std::fs::Permissions::from_mode(0o700),
            );
        }

        // A display of our own.
        let n = (90..400)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .ok_or("no free X display number")?;
        let display = format!(":{n}");
        let xvfb = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Xvfb: {e}"))?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let start = Instant::now();
        while !socket.exists() {
            if start.elapsed() > WAIT {
                return Err("Xvfb did not start".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }

        // Stand-ins for the system's link opener: they record the address instead.
        for opener in ["xdg-open", "gio", "sensible-browser"] {
            let script = root.join("bin").join(opener);
            std::fs::write(
                &script,
                format!(
                    "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in http*|mailto*) printf '%s\\n' \"$a\" >> '{}';; esac; done\n",
                    root.join("opened-links.txt").display()
                ),
            )
            .map_err(es)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
                    .map_err(es)?;
            }
        }
        let path = std::env::join_paths(
            std::iter::once(root.join("bin")).chain(
                std::env::var_os("PATH")
                    .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                    .unwrap_or_default(),
            ),
        )
        .map_err(es)?;

        let port = free_port();
        let native = free_port();
        let mut driver = Command::new(find_program("tauri-driver").expect("checked"))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", &display)
            .env("XDG_DATA_HOME", root.join("data"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("XDG_RUNTIME_DIR", root.join("runtime"))
            .env("PATH", &path)
            .env_remove("BROWSER")
            .env_remove("PUSTAKA_LIBRARY")
            // The app sets these itself (a scenario checks it does).
            .env_remove("WEBKIT_DISABLE_DMABUF_RENDERER")
            .env_remove("JSC_useJIT")
            .env_remove("PUSTAKA_CONFIG_DIR")
            .env_remove("PUSTAKA_STARTER_PACK")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver: {e}"))?;
        wait_for_port(port, &mut driver, "tauri-driver")?;

        let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-screenshots");
        std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
        Ok(Env {
            xvfb,
            driver,
            port,
            display,
            _scratch: scratch,
            root,
            shots,
        })
    }

    /// Starts the app with its own settings folder and library folder, and no starter pack
    /// (one built earlier sits beside the debug binary: scenarios get it only by asking).
    pub async fn session(&self, library: &Path, config: &Path) -> TestResult<WebDriver> {
        self.session_with(library, config, &["--no-starter-pack".into()])
            .await
    }

    /// [`Env::session`] with other arguments for the app (e.g. `--starter-pack FILE`).
    pub async fn session_with(
        &self,
        library: &Path,
        config: &Path,
        extra: &[String],
    ) -> TestResult<WebDriver> {
        let mut args = vec![
            "--library".to_string(),
            library.display().to_string(),
            "--config-dir".to_string(),
            config.display().to_string(),
        ];
        args.extend(extra.iter().cloned());
        let mut caps = Capabilities::new();
        caps.set("browserName", "wry").map_err(es)?;
        caps.set(
            "tauri:options",
            json!({
                "application": app_path(),
                "args": args,
            }),
        )
        .map_err(es)?;
        // A session now and then fails to start on a loaded machine (the driver drops the
        // connection); a second try is what a person would do.
        let mut last = String::new();
        for attempt in 0..3 {
            match WebDriver::new(format!("http://127.0.0.1:{}", self.port), caps.clone()).await {
                Ok(d) => return Ok(d),
                Err(e) => {
                    last = e.to_string();
                    eprintln!("    (session attempt {} failed: {last})", attempt + 1);
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
        Err(last)
    }

    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    /// The file where the stand-in link opener records what it was asked to open.
    pub fn opened_links(&self) -> PathBuf {
        self.root.join("opened-links.txt")
    }

    /// The system clipboard, as another program sees it.
    pub fn clipboard(&self) -> TestResult<String> {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &self.display)
            .output()
            .map_err(es)?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        terminate(&mut self.driver);
        terminate(&mut self.xvfb);
    }
}

pub fn es(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Runs a script in the page and returns its JSON result.
pub async fn js(d: &WebDriver, script: &str, args: Vec<Value>) -> TestResult<Value> {
    Ok(d.execute(script, args).await.map_err(es)?.json().clone())
}

/// Waits until `selector` matches a displayed element.
pub async fn wait_for(d: &WebDriver, selector: &str) -> TestResult<WebElement> {
    let start = Instant::now();
    loop {
        if let Ok(e) = d.find(By::Css(selector)).await
            && e.is_displayed().await.unwrap_or(false)
        {
            return Ok(e);
        }
        if start.elapsed() > WAIT {
            return Err(format!("nothing visible matches {selector}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the script returns `true`.
pub async fn wait_until(d: &WebDriver, what: &str, script: &str, args: Vec<Value>) -> TestResult {
    let start = Instant::now();
    loop {
        if js(d, script, args.clone()).await? == Value::Bool(true) {
            return Ok(());
        }
        if start.elapsed() > WAIT {
            return Err(format!("timed out waiting until {what}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element `selector` matches, once it is visible.
pub async fn click(d: &WebDriver, selector: &str) -> TestResult {
    wait_for(d, selector).await?.click().await.map_err(es)
}

pub async fn text_of(d: &WebDriver, selector: &str) -> TestResult<String> {
    wait_for(d, selector).await?.text().await.map_err(es)
}

/// Runs axe-core (WCAG 2 A and AA rules) on the current page; returns the violations.
pub async fn axe(d: &WebDriver) -> TestResult<Vec<String>> {
    let src_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
    let src = std::fs::read_to_string(&src_path).map_err(|e| {
        format!(
            "cannot read {}: {e} (run npm ci in ui/)",
            src_path.display()
        )
    })?;
    js(d, &format!("{src}\n;return typeof axe;"), vec![]).await?;
    let r = d
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
               .then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + v.help
                    + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .map_err(es)?;
    serde_json::from_value(r.json().clone()).map_err(es)
}

pub fn check(cond: bool, what: impl FnOnce() -> String) -> TestResult {
    if cond { Ok(()) } else { Err(what()) }
}
