//! Watching each content's ICE and DTLS transport: state events, the
//! fingerprint check once DTLS is up, and "connected" once every content is.

use std::sync::{Arc, Weak};

use gstreamer_webrtc as gst_webrtc;
use gstreamer_webrtc::prelude::*;

use super::engine::Inner;
use super::events::{DtlsState, FailureReason, IceState, MediaEvent};
use super::fingerprint::Fingerprint;
use super::stats::ContentTransport;

impl Inner {
    /// Every transceiver webrtcbin has, in m-line order of creation.
    fn transceivers(&self) -> Vec<gst_webrtc::WebRTCRTPTransceiver> {
        (0..)
            .map_while(|i: i32| {
                self.webrtcbin
                    .emit_by_name::<Option<gst_webrtc::WebRTCRTPTransceiver>>(
                        "get-transceiver",
                        &[&i],
                    )
            })
            .collect()
    }

    /// Starts watching the transports of newly negotiated contents (after
    /// each description is applied; contents already watched are skipped).
    pub(super) fn watch_transports(self: &Arc<Self>) {
        for transceiver in self.transceivers() {
            let mline = transceiver.mlineindex();
            // Not yet tied to an m-line: a later description will be.
            if mline == u32::MAX || transceiver.mid().is_none() {
                continue;
            }
            let Some(dtls) = transceiver.receiver().and_then(|r| r.transport()) else {
                continue;
            };
            self.counters.set_transport(ContentTransport {
                mline,
                mid: transceiver.mid().map(|m| m.to_string()),
                transport_id: dtls.session_id(),
            });
            {
                let mut state = self.lock();
                if state.watched.contains(&mline) {
                    continue;
                }
                state.watched.push(mline);
            }
            self.watch_dtls(mline, &dtls);
        }
    }

    fn watch_dtls(self: &Arc<Self>, mline: u32, dtls: &gst_webrtc::WebRTCDTLSTransport) {
        let weak: Weak<Self> = Arc::downgrade(self);
        dtls.connect_state_notify(move |dtls| {
            if let Some(inner) = weak.upgrade() {
                inner.dtls_changed(mline, dtls);
            }
        });
        if let Some(ice) = dtls.transport() {
            let weak: Weak<Self> = Arc::downgrade(self);
            ice.connect_state_notify(move |ice| {
                let Some(inner) = weak.upgrade() else {
                    return;
                };
                let state = IceState::from(ice.state());
                let _ = inner
                    .events
                    .send(MediaEvent::IceStateChanged { mline, state });
                if state == IceState::Failed {
                    inner.fail(
                        FailureReason::Transport,
                        format!("ICE failed for m-line {mline}"),
                    );
                }
            });
        }
        // The handshake may have finished before we started watching.
        if dtls.state() == gst_webrtc::WebRTCDTLSTransportState::Connected {
            self.dtls_changed(mline, dtls);
        }
    }

    fn dtls_changed(&self, mline: u32, dtls: &gst_webrtc::WebRTCDTLSTransport) {
        let state = DtlsState::from(dtls.state());
        let _ = self
            .events
            .send(MediaEvent::DtlsStateChanged { mline, state });
        match state {
            DtlsState::Connected => self.verify_peer(mline, dtls),
            DtlsState::Failed => self.fail(
                FailureReason::Transport,
                format!("DTLS handshake failed for m-line {mline}"),
            ),
            DtlsState::New | DtlsState::Connecting | DtlsState::Closed => {}
        }
    }

    /// Compares the peer's certificate with the remote description's
    /// fingerprint for this content; a mismatch ends the call.
    fn verify_peer(&self, mline: u32, dtls: &gst_webrtc::WebRTCDTLSTransport) {
        // Ask webrtcbin before taking our lock: never hold it across a call
        // into webrtcbin.
        let mid = self
            .transceivers()
            .into_iter()
            .find(|t| t.mlineindex() == mline)
            .and_then(|t| t.mid())
            .map(|m| m.to_string());
        let expected = {
            let state = self.lock();
            if state.ended || state.verified.contains(&mline) {
                return;
            }
            state
                .remote
                .iter()
                .find(|m| mid.is_some() && m.mid == mid)
                .or_else(|| state.remote.iter().find(|m| m.mline == mline))
                .and_then(|m| m.fingerprint.clone())
        };
        let pem = dtls.remote_certificate();
        let actual = match (&expected, &pem) {
            (Some(expected), Some(pem)) => Fingerprint::of_pem(&expected.hash, pem).ok(),
            (None, Some(pem)) => Fingerprint::of_pem("sha-256", pem).ok(),
            _ => None,
        };
        if expected.is_some() && actual.is_some() && expected == actual {
            tracing::debug!(mline, "Peer certificate matches the signalled fingerprint");
            let mut state = self.lock();
            state.verified.push(mline);
            self.update_gates(&state);
            let negotiated = state
                .watched
                .iter()
                .filter(|m| state.remote.iter().any(|r| r.mline == **m && r.port != 0))
                .all(|m| state.verified.contains(m));
            if negotiated && !state.connected_sent {
                state.connected_sent = true;
                drop(state);
                let _ = self.events.send(MediaEvent::Connected);
            }
            return;
        }
        let expected = expected.map(|f| f.to_string());
        let actual = actual.map(|f| f.to_string());
        tracing::warn!(
            mline,
            expected = expected.as_deref().unwrap_or("none"),
            actual = actual.as_deref().unwrap_or("unreadable"),
            "Peer DTLS certificate does not match the signalled fingerprint"
        );
        let _ = self.events.send(MediaEvent::FingerprintMismatch {
            mline,
            expected,
            actual,
        });
        self.fail(
            FailureReason::Security,
            format!("DTLS fingerprint mismatch on m-line {mline}"),
        );
    }
}
