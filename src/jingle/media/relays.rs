//! Releasing a call's TURN allocations when the call ends.
//!
//! webrtcbin (GStreamer 1.22) drops its libnice agent without closing it:
//! the agent warns that it "still has alive TURN refreshes", and the relay
//! keeps every allocation of the call until its lifetime runs out (ten
//! minutes by default), counted against the user's quota. libnice's
//! `nice_agent_close_async` deallocates them (a Refresh with lifetime 0,
//! RFC 8656 §7), but GStreamer 1.22 offers no way to call it
//! (`gst_webrtc_ice_close` arrived in 1.24), and libnice has no Rust
//! binding. So it is looked up in the libnice that GStreamer's nice plugin
//! loaded: if there is none (another ICE implementation, another libnice),
//! nothing is released, as before.
//!
//! Closing waits for libnice on a thread of its own, holding webrtcbin
//! (whose ICE object's thread drives the agent) alive meanwhile. The
//! stopped pipeline no longer reads the relay's answers, so libnice sends
//! each deallocation a few times until its retransmissions give up (about
//! two seconds); the relay acts on the first.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::glib;
use gstreamer::prelude::*;
use gstreamer_webrtc as gst_webrtc;

/// Longest wait for the relays: libnice's own retransmissions to a relay
/// that does not answer give up well within this.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(60);

/// `GAsyncReadyCallback`.
type ReadyCallback = unsafe extern "C" fn(*mut c_void, *mut c_void, *mut c_void);

/// `void nice_agent_close_async (NiceAgent *, GAsyncReadyCallback, gpointer)`,
/// libnice ≥ 0.1.16.
type CloseAsync = unsafe extern "C" fn(*mut c_void, Option<ReadyCallback>, *mut c_void);

/// Start releasing the TURN allocations of `webrtcbin`'s ICE agent; returns
/// at once. Call it after the pipeline stopped, once per call.
pub(super) fn release(webrtcbin: &gst::Element) {
    let Some(close) = close_async() else {
        tracing::debug!("libnice's close is not available: TURN allocations expire on their own");
        return;
    };
    // GObjects of the ICE implementation are not all `Send`: the thread
    // takes the element and finds them itself.
    let webrtcbin = webrtcbin.clone();
    let closer = std::thread::Builder::new()
        .name("call-ice-close".into())
        .spawn(move || {
            let ice = webrtcbin.property::<gst_webrtc::WebRTCICE>("ice-agent");
            if !ice.has_property("agent") {
                return;
            }
            let agent = ice.property::<glib::Object>("agent");
            if agent.type_().name() == "NiceAgent" {
                close_and_wait(close, &ice, &agent);
            }
        });
    if let Err(error) = closer {
        tracing::warn!("Could not release the call's TURN allocations: {error}");
    }
}

/// Close `agent` and wait until it says it is done. The callback comes in
/// the thread-default main context of the caller (a GTask), so this thread
/// has one and iterates it. The caller holds `ice`, and with it the
/// thread that drives the agent, until this returns.
fn close_and_wait(close: CloseAsync, _ice: &gst_webrtc::WebRTCICE, agent: &glib::Object) {
    let context = glib::MainContext::new();
    let done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let waited = context.with_thread_default(|| {
        let data = Arc::into_raw(Arc::clone(&done)).cast_mut().cast::<c_void>();
        call_close(close, agent, data);
        while !done.load(Ordering::Acquire) && started.elapsed() < CLOSE_TIMEOUT {
            if !context.iteration(false) {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    });
    match waited {
        Ok(()) if done.load(Ordering::Acquire) => {
            tracing::debug!(took = ?started.elapsed(), "Released the call's TURN allocations");
        }
        Ok(()) => tracing::info!("Could not release the call's TURN allocations in time"),
        Err(error) => tracing::warn!("Could not release the call's TURN allocations: {error}"),
    }
}

#[allow(unsafe_code)] // libnice's close has no binding; see the module's documentation
fn call_close(close: CloseAsync, agent: &glib::Object, data: *mut c_void) {
    // SAFETY: `agent` is a live NiceAgent (checked by type name; the
    // reference is held until this returns and, by the caller's `ice`,
    // until the callback ran), `on_closed` matches GAsyncReadyCallback, and
    // `data` is an `Arc<AtomicBool>` that `on_closed` takes back once.
    unsafe { close(agent.as_ptr().cast::<c_void>(), Some(on_closed), data) }
}

#[allow(unsafe_code)] // called by libnice; see `call_close`
unsafe extern "C" fn on_closed(_agent: *mut c_void, _result: *mut c_void, data: *mut c_void) {
    // SAFETY: `data` came from `Arc::into_raw` in `close_and_wait`, and
    // libnice calls this exactly once.
    let done = unsafe { Arc::from_raw(data.cast_const().cast::<AtomicBool>()) };
    done.store(true, Ordering::Release);
}

/// libnice's `nice_agent_close_async`, if GStreamer loaded a libnice that
/// has it.
fn close_async() -> Option<CloseAsync> {
    static CLOSE: OnceLock<Option<CloseAsync>> = OnceLock::new();
    *CLOSE.get_or_init(find_close_async)
}

#[allow(unsafe_code)] // dlopen/dlsym; see the module's documentation
fn find_close_async() -> Option<CloseAsync> {
    for library in [c"libnice.so.10", c"libnice.so"] {
        // SAFETY: RTLD_NOLOAD only finds a library already loaded (by
        // GStreamer's nice plugin): nothing is loaded or initialised here.
        // The handle is kept, so the library stays loaded for the process.
        let handle = unsafe { libc::dlopen(library.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD) };
        if handle.is_null() {
            continue;
        }
        // SAFETY: `handle` is a valid handle; the name is a C string.
        let symbol = unsafe { libc::dlsym(handle, c"nice_agent_close_async".as_ptr()) };
        if symbol.is_null() {
            return None;
        }
        // SAFETY: libnice declares nice_agent_close_async with exactly
        // this signature (agent.h, since 0.1.16).
        return Some(unsafe { std::mem::transmute::<*mut c_void, CloseAsync>(symbol) });
    }
    None
}
