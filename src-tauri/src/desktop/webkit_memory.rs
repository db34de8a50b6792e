//! WebKitGTK's memory-pressure settings for the web process (Linux).
//!
//! WebKit's web process measures its own dirty memory every poll interval and, above a
//! fraction of a memory limit, gives memory back: caches first, then (above the strict
//! fraction) garbage collection, compiled code and malloc's free pages. The default limit
//! is the machine's RAM (at most 3 GB), so on a desktop it never acts. A document tool with
//! one page can ask for a much lower one.
//!
//! The settings can only be given when the `WebKitWebContext` is constructed (a
//! construct-only property), and that object is built inside wry, which does not pass
//! them. So before the window is built, the context class's GObject `constructor` is
//! wrapped once: it adds the settings to the construction parameters when none were
//! given, then calls the original constructor. Nothing else of the context changes.

use std::ffi::{CStr, c_uint};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use webkit2gtk::ffi as wk;
use webkit2gtk::glib::ffi::GType;
use webkit2gtk::glib::gobject_ffi::{
    self, GObject, GObjectClass, GObjectConstructParam, GParamSpec, GValue,
};

/// The memory-pressure settings given to Pustaka's web process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WebMemory {
    /// The memory limit in MB the thresholds are fractions of.
    pub limit_mb: u32,
    /// Above this fraction of the limit, non-critical memory (caches) is released.
    pub conservative: f64,
    /// Above this fraction, critical memory too (garbage collection, compiled code).
    pub strict: f64,
    /// How often the web process measures itself, in seconds.
    pub poll_seconds: f64,
}

impl WebMemory {
    /// Pustaka's web process holds about 25 MB of its own (dirty) memory with results shown
    /// and 35–40 MB after a long typing session. A 64 MB limit has WebKit drop caches above
    /// 21 MB and collect garbage, compiled code and malloc's free pages above 32 MB, checked
    /// every 5 s. Measured on the 1 GB library (`make bench-desktop`): 11–13 MiB less after
    /// typing and after idle, keystroke latency unchanged. A lower limit (40 MB, every 2 s)
    /// saved no more and made keystrokes slower (p99 109 against 84 ms): collections ran
    /// mid-typing.
    pub const PUSTAKA: WebMemory = WebMemory {
        limit_mb: 64,
        conservative: 0.33,
        strict: 0.5,
        poll_seconds: 5.0,
    };
}

impl WebMemory {
    /// `PUSTAKA_WEBKIT_MEMORY=LIMIT_MB,CONSERVATIVE,STRICT,POLL_SECONDS` (for example
    /// `64,0.33,0.5,5`) if set and valid, else [`WebMemory::PUSTAKA`].
    pub fn from_env() -> WebMemory {
        std::env::var("PUSTAKA_WEBKIT_MEMORY")
            .ok()
            .and_then(|v| WebMemory::parse(&v))
            .unwrap_or(WebMemory::PUSTAKA)
    }

    fn parse(v: &str) -> Option<WebMemory> {
        let mut parts = v.split(',').map(str::trim);
        let m = WebMemory {
            limit_mb: parts.next()?.parse().ok()?,
            conservative: parts.next()?.parse().ok()?,
            strict: parts.next()?.parse().ok()?,
            poll_seconds: parts.next()?.parse().ok()?,
        };
        let valid = parts.next().is_none()
            && m.limit_mb > 0
            && 0.0 < m.conservative
            && m.conservative < m.strict
            && m.strict < 1.0
            && m.poll_seconds > 0.0;
        valid.then_some(m)
    }
}

type Constructor = unsafe extern "C" fn(GType, c_uint, *mut GObjectConstructParam) -> *mut GObject;

struct Hook {
    original: Constructor,
    /// Owned for the life of the process (a `WebKitMemoryPressureSettings*`).
    settings: usize,
    pspec: usize,
    value_type: GType,
}

static HOOK: OnceLock<Hook> = OnceLock::new();
static APPLIED: AtomicUsize = AtomicUsize::new(0);

/// How many web contexts were constructed with the settings so far.
pub fn applied() -> usize {
    APPLIED.load(Ordering::SeqCst)
}

/// Wraps the web context's constructor so that contexts built from now on get `m`.
/// Returns false (and changes nothing) when it was already installed or WebKit lacks the
/// property. Call on the main thread before the first webview is built.
pub fn install(m: WebMemory) -> bool {
    // SAFETY: plain C calls: a settings box of our own (kept for the life of the process),
    // and GObject type-system calls on WebKit's own class; the class reference taken here
    // is never released, so the class struct stays valid for the process. (The C API, not
    // the Rust wrapper's, which insists on GTK being initialized first: it need not be.)
    unsafe {
        let raw = wk::webkit_memory_pressure_settings_new();
        wk::webkit_memory_pressure_settings_set_memory_limit(raw, m.limit_mb);
        wk::webkit_memory_pressure_settings_set_conservative_threshold(raw, m.conservative);
        wk::webkit_memory_pressure_settings_set_strict_threshold(raw, m.strict);
        wk::webkit_memory_pressure_settings_set_poll_interval(raw, m.poll_seconds);
        let class =
            gobject_ffi::g_type_class_ref(wk::webkit_web_context_get_type()) as *mut GObjectClass;
        let pspec =
            gobject_ffi::g_object_class_find_property(class, c"memory-pressure-settings".as_ptr());
        let (Some(original), false, None) = ((*class).constructor, pspec.is_null(), HOOK.get())
        else {
            wk::webkit_memory_pressure_settings_free(raw);
            return false;
        };
        let hook = Hook {
            original,
            settings: raw as usize,
            pspec: pspec as usize,
            value_type: (*pspec).value_type,
        };
        if HOOK.set(hook).is_err() {
            wk::webkit_memory_pressure_settings_free(raw);
            return false;
        }
        (*class).constructor = Some(construct);
    }
    true
}

/// The wrapped constructor: the original one, with the settings among the construction
/// parameters when the caller gave none.
///
/// # Safety
/// Called by GObject only, with the parameters of `g_object_new` for the context class.
unsafe extern "C" fn construct(
    ty: GType,
    n: c_uint,
    params: *mut GObjectConstructParam,
) -> *mut GObject {
    let hook = HOOK.get().expect("the hook is set before it is installed");
    let pspec = hook.pspec as *mut GParamSpec;
    // SAFETY: `params` holds `n` parameters (GObject's contract); the copy and the value
    // given in it live until the original constructor returns, and the value is unset
    // after (the constructor copies what it keeps).
    unsafe {
        let mut own: Vec<GObjectConstructParam> = if params.is_null() {
            Vec::new()
        } else {
            std::slice::from_raw_parts(params, n as usize).to_vec()
        };
        let mut value: GValue = std::mem::zeroed();
        gobject_ffi::g_value_init(&mut value, hook.value_type);
        gobject_ffi::g_value_set_boxed(&mut value, hook.settings as *const _);
        let mut used = false;
        match own.iter_mut().find(|p| same_property(p.pspec, pspec)) {
            Some(p) => {
                if gobject_ffi::g_value_get_boxed(p.value).is_null() {
                    p.value = &mut value;
                    used = true;
                }
            }
            None => {
                own.push(GObjectConstructParam {
                    pspec,
                    value: &mut value,
                });
                used = true;
            }
        }
        let object = (hook.original)(ty, own.len() as c_uint, own.as_mut_ptr());
        gobject_ffi::g_value_unset(&mut value);
        if used && !object.is_null() {
            APPLIED.fetch_add(1, Ordering::SeqCst);
        }
        object
    }
}

/// # Safety
/// Both are valid `GParamSpec` pointers (`a` may be null).
unsafe fn same_property(a: *mut GParamSpec, b: *mut GParamSpec) -> bool {
    // SAFETY: see the function's contract; names of param specs are NUL-terminated.
    a == b || (!a.is_null() && unsafe { CStr::from_ptr((*a).name) == CStr::from_ptr((*b).name) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_from_the_environment_are_checked() {
        assert_eq!(
            WebMemory::parse("80, 0.4,0.6,2"),
            Some(WebMemory {
                limit_mb: 80,
                conservative: 0.4,
                strict: 0.6,
                poll_seconds: 2.0
            })
        );
        for bad in [
            "",
            "64",
            "64,0.5,0.4,5",
            "64,0.3,1.2,5",
            "0,0.3,0.5,5",
            "64,0.3,0.5,0",
            "64,0.3,0.5,5,1",
            "x,0.3,0.5,5",
        ] {
            assert_eq!(WebMemory::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn installs_once_on_webkits_context_class() {
        // Finds the construct-only property on WebKit's class and wraps the constructor,
        // once. (Building a context needs GTK and a display: the end-to-end runs do, and
        // the app reports on stderr when its context was built without the settings.)
        assert_eq!(applied(), 0);
        assert!(install(WebMemory::PUSTAKA));
        assert!(!install(WebMemory::PUSTAKA), "installed once only");
        let hook = HOOK.get().expect("installed");
        // SAFETY: the pspec stays valid with the class reference install() keeps.
        let name = unsafe { CStr::from_ptr((*(hook.pspec as *mut GParamSpec)).name) };
        assert_eq!(name, c"memory-pressure-settings");
    }
}
