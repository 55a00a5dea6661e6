//! Service discovery (XEP-0030) of ourselves, entity capabilities
//! (XEP-0115), and the answers to the IQ requests any client must handle:
//! disco#info, ping (XEP-0199), software version (XEP-0092); everything
//! else gets `service-unavailable` (RFC 6120 §8.4). Also asking another
//! entity, such as our server, which features it has.

use xmpp_parsers::caps::{self, Caps};
use xmpp_parsers::disco::{DiscoInfoQuery, DiscoInfoResult, Identity};
use xmpp_parsers::hashes::Algo;
use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::ns;
use xmpp_parsers::ping::Ping;
use xmpp_parsers::stanza_error::{DefinedCondition, ErrorType, StanzaError};
use xmpp_parsers::version::{VersionQuery, VersionResult};

use crate::jingle::codec::Codec;
use crate::jingle::media::available_codecs;

/// Our caps node (XEP-0115 §4).
pub(crate) const CAPS_NODE: &str = "https://github.com/warbler-im/warbler";

/// Exactly the features Warbler implements, but for calls
/// ([`call_features`]), which depend on the installed codecs.
pub(crate) const FEATURES: &[&str] = &[
    ns::DISCO_INFO,
    ns::CAPS,
    ns::CHATSTATES,
    ns::RECEIPTS,
    ns::PING,
    ns::VERSION,
    ns::SID,
    // Rooms: joining (XEP-0045), direct invitations (XEP-0249), and
    // bookmark notifications (XEP-0402), which the server only pushes to
    // clients that ask for them this way (XEP-0163 §4).
    ns::MUC,
    "jabber:x:conference",
    "urn:xmpp:bookmarks:1+notify",
];

/// Calls: Jingle RTP audio over ICE-UDP with DTLS-SRTP, set up with Jingle
/// Message Initiation. RTCP feedback, header extensions and grouping are
/// not advertised: the media engine does not act on them.
const CALL_FEATURES: &[&str] = &[
    ns::JINGLE,
    ns::JINGLE_RTP,
    ns::JINGLE_RTP_AUDIO,
    ns::JINGLE_ICE_UDP,
    ns::JINGLE_DTLS,
    ns::JINGLE_MESSAGE,
];

/// The call features that `codecs` (those whose media elements are
/// installed) can back: none without an audio codec, as every call has
/// audio; video only with a video codec.
pub(crate) fn call_features(codecs: &[Codec]) -> Vec<&'static str> {
    let has = |media: &str| codecs.iter().any(|codec| codec.media() == media);
    let mut features = Vec::new();
    if has("audio") {
        features.extend_from_slice(CALL_FEATURES);
        if has("video") {
            features.push(ns::JINGLE_RTP_VIDEO);
        }
    }
    features
}

/// Our disco#info result (optionally for a caps node).
pub(crate) fn own_info(node: Option<String>) -> DiscoInfoResult {
    DiscoInfoResult {
        node,
        identities: vec![Identity::new("client", "pc", "en", crate::APP_NAME)],
        features: FEATURES
            .iter()
            .chain(&call_features(&available_codecs()))
            .map(|f| (*f).to_owned())
            .collect(),
        extensions: vec![],
    }
}

/// Our `<c/>` element for presence.
pub(crate) fn own_caps() -> Caps {
    let data = caps::compute_disco(&own_info(None));
    let hash = caps::hash_caps(&data, Algo::Sha_1).expect("SHA-1 is supported by xmpp-parsers");
    Caps::new(CAPS_NODE, hash)
}

/// The answer to an `<iq type='get'/>` addressed to us.
pub(crate) fn answer_get(from: Option<Jid>, id: &str, payload: Element) -> Iq {
    let mut reply = if payload.is("query", ns::DISCO_INFO) {
        match DiscoInfoQuery::try_from(payload) {
            Ok(query) => match &query.node {
                Some(node) if *node != caps_node() => error(id, DefinedCondition::ItemNotFound),
                _ => Iq::from_result(id.to_owned(), Some(own_info(query.node))),
            },
            Err(_) => error(id, DefinedCondition::BadRequest),
        }
    } else if Ping::try_from(payload.clone()).is_ok() {
        Iq::from_result(id.to_owned(), None::<DiscoInfoResult>)
    } else if VersionQuery::try_from(payload).is_ok() {
        Iq::from_result(
            id.to_owned(),
            Some(VersionResult {
                name: crate::APP_NAME.to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                // Revealing the OS helps attackers more than it helps anyone.
                os: None,
            }),
        )
    } else {
        error(id, DefinedCondition::ServiceUnavailable)
    };
    *reply.to_mut() = from;
    reply
}

/// `service-unavailable` for an `<iq type='set'/>` we do not handle.
pub(crate) fn refuse(from: Option<Jid>, id: &str) -> Iq {
    let mut reply = error(id, DefinedCondition::ServiceUnavailable);
    *reply.to_mut() = from;
    reply
}

fn error(id: &str, condition: DefinedCondition) -> Iq {
    let kind = match condition {
        DefinedCondition::BadRequest => ErrorType::Modify,
        _ => ErrorType::Cancel,
    };
    Iq::from_error(
        id.to_owned(),
        StanzaError {
            type_: kind,
            by: None,
            defined_condition: condition,
            texts: Default::default(),
            other: None,
        },
    )
}

/// Our caps node with its verification string (`node#ver`, XEP-0115 §6.2),
/// read from the serialised `<c/>` so the encoding is xmpp-parsers' own.
pub(crate) fn caps_node() -> String {
    let caps = Element::from(own_caps());
    format!("{CAPS_NODE}#{}", caps.attr("ver").unwrap_or_default())
}

/// Ask `entity` (typically our server's domain) what it is and does.
pub(crate) fn info_request(id: &str, entity: &BareJid) -> Iq {
    Iq::Get {
        from: None,
        to: Some(Jid::from(entity.clone())),
        id: id.to_owned(),
        payload: Element::from(DiscoInfoQuery { node: None }),
    }
}

/// Whether a disco#info result lists `feature`.
pub(crate) fn has_feature(payload: Option<&Element>, feature: &str) -> bool {
    payload.is_some_and(|query| {
        query.is("query", ns::DISCO_INFO)
            && query
                .children()
                .any(|c| c.is("feature", ns::DISCO_INFO) && c.attr("var") == Some(feature))
    })
}
