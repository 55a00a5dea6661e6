-- Loaded by Warbler's test harness when a test wants service pushes.
--
-- Prosody 0.12 answers external service requests (XEP-0215) but never
-- pushes changes. This module does: a second after a client asks for the
-- services, it pushes a modified TURN service to it, with TURN REST
-- credentials made from `test_push_turn_secret` for the relay at
-- 127.0.0.1:`test_push_turn_port`, and logs whether the client
-- acknowledged the push.

local st = require "util.stanza";
local hashes = require "util.hashes";
local base64 = require "util.encodings".base64;
local datetime = require "util.datetime";

local secret = module:get_option_string("test_push_turn_secret");
local port = module:get_option_number("test_push_turn_port");
local ttl = 3600;
local next_id = 0;

local function push(full_jid)
	local expires = os.time() + ttl;
	local username = string.format("%d", expires);
	next_id = next_id + 1;
	local iq = st.iq({ type = "set", from = module.host, to = full_jid, id = "test-push-" .. next_id })
		:tag("services", { xmlns = "urn:xmpp:extdisco:2" })
			:tag("service", {
				action = "modify"; type = "turn"; transport = "udp";
				host = "127.0.0.1"; port = string.format("%d", port);
				username = username;
				password = base64.encode(hashes.hmac_sha1(secret, username));
				expires = datetime.datetime(expires);
			}):up()
		:up();
	module:send_iq(iq):next(function()
		module:log("info", "Service push acknowledged by %s", full_jid);
	end, function(err)
		module:log("warn", "Service push refused by %s: %s", full_jid, tostring(err));
	end);
end

-- Runs before mod_external_services answers, and lets it answer.
module:hook("iq-get/host/urn:xmpp:extdisco:2:services", function(event)
	local full_jid = event.origin.full_jid;
	if full_jid then
		module:add_timer(1, function() push(full_jid); end);
	end
end, 10);
