//! Choosing the SASL mechanism ourselves: SCRAM-SHA-256(-PLUS), then
//! SCRAM-SHA-1(-PLUS), then PLAIN (only ever over TLS, which Warbler always
//! has). Channel binding (-PLUS) is used only with a binding type the
//! server advertises (XEP-0440); tokio-xmpp on its own tries -PLUS
//! variants blindly over TLS 1.3 and falls back to PLAIN or fails.

use std::collections::BTreeSet;

use sasl::common::ChannelBinding;
use xmpp_parsers::sasl_cb;
use xmpp_parsers::stream_features::StreamFeatures;

use crate::session::ConnectError;

/// Mechanisms to offer to tokio-xmpp's SASL loop, and the binding to use.
pub(crate) struct SaslChoice {
    pub mechanisms: BTreeSet<String>,
    pub binding: ChannelBinding,
}

const SUPPORTED: [&str; 3] = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

pub(crate) fn choose(
    features: &StreamFeatures,
    exporter: Option<Vec<u8>>,
) -> Result<SaslChoice, ConnectError> {
    let offered = &features.sasl_mechanisms;
    let server_binds_exporter = features
        .sasl_cb
        .as_ref()
        .is_some_and(|cb| cb.types.contains(&sasl_cb::Type::TlsExporter));
    let plus_offered = offered
        .iter()
        .any(|m| m == "SCRAM-SHA-256-PLUS" || m == "SCRAM-SHA-1-PLUS");
    if let (true, true, Some(data)) = (server_binds_exporter, plus_offered, exporter) {
        let mut mechanisms: BTreeSet<String> = offered
            .iter()
            .filter(|m| m.ends_with("-PLUS") || m.as_str() == "PLAIN")
            .cloned()
            .collect();
        // PLAIN stays as the last resort, as in the unbound case.
        mechanisms.retain(|m| m != "ANONYMOUS");
        return Ok(SaslChoice {
            mechanisms,
            binding: ChannelBinding::TlsExporter(data),
        });
    }
    let mechanisms: BTreeSet<String> = offered
        .iter()
        .filter(|m| SUPPORTED.contains(&m.as_str()))
        .cloned()
        .collect();
    if mechanisms.is_empty() {
        return Err(ConnectError::Unsupported {
            feature: format!(
                "SASL mechanism (server offers {})",
                offered.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        });
    }
    Ok(SaslChoice {
        mechanisms,
        // "n": we do not use channel binding on this connection.
        binding: ChannelBinding::None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(xml: &str) -> StreamFeatures {
        let element: xmpp_parsers::minidom::Element = xml.parse().expect("xml");
        StreamFeatures::try_from(element).expect("features")
    }

    const NS: &str = "xmlns='http://etherx.jabber.org/streams'";

    #[test]
    fn prefers_unbound_scram_when_server_does_not_advertise_binding() {
        let f = features(&format!(
            "<features {NS}><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\
             <mechanism>SCRAM-SHA-1</mechanism><mechanism>SCRAM-SHA-1-PLUS</mechanism>\
             <mechanism>SCRAM-SHA-256</mechanism><mechanism>PLAIN</mechanism>\
             </mechanisms></features>"
        ));
        let choice = choose(&f, Some(vec![1; 32])).expect("choice");
        assert!(matches!(choice.binding, ChannelBinding::None));
        assert!(choice.mechanisms.contains("SCRAM-SHA-256"));
        assert!(!choice.mechanisms.iter().any(|m| m.ends_with("-PLUS")));
    }

    #[test]
    fn uses_tls_exporter_binding_when_advertised() {
        let f = features(&format!(
            "<features {NS}><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\
             <mechanism>SCRAM-SHA-256-PLUS</mechanism><mechanism>SCRAM-SHA-256</mechanism>\
             </mechanisms><sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'>\
             <channel-binding type='tls-exporter'/></sasl-channel-binding></features>"
        ));
        let choice = choose(&f, Some(vec![1; 32])).expect("choice");
        assert!(matches!(choice.binding, ChannelBinding::TlsExporter(_)));
        assert!(choice.mechanisms.contains("SCRAM-SHA-256-PLUS"));
        // Without exporter data (TLS 1.2) the unbound variant is chosen.
        let choice = choose(&f, None).expect("choice");
        assert!(matches!(choice.binding, ChannelBinding::None));
    }

    #[test]
    fn rejects_servers_without_a_usable_mechanism() {
        let f = features(&format!(
            "<features {NS}><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\
             <mechanism>X-OAUTH2</mechanism></mechanisms></features>"
        ));
        assert!(matches!(
            choose(&f, None),
            Err(ConnectError::Unsupported { .. })
        ));
    }
}
