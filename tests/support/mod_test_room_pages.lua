-- Loaded by Warbler's test harness on the test conference service only.
--
-- Prosody 0.12 lists all of a service's rooms at once, by name alone. This
-- makes the service answer as larger ones do: in pages (XEP-0059), at most
-- `test_room_page_size` rooms at a time, ordered by address, with each
-- room's occupant count after its name ("Team (3)").

local rsm = require "util.rsm";

local page_size = module:get_option_number("test_room_page_size", 10);
local muc = module:depends("muc");

module:hook("host-disco-items", function(event)
	local origin, stanza, reply = event.origin, event.stanza, event.reply;
	local rooms = {};
	for room in muc.all_rooms() do
		if not room:get_hidden() then
			table.insert(rooms, room);
		end
	end
	table.sort(rooms, function(a, b) return a.jid < b.jid; end);

	local set = rsm.get(stanza.tags[1]) or {};
	local max = math.min(set.max or page_size, page_size);
	local start = 1;
	if set.after then
		start = #rooms + 1;
		for i, room in ipairs(rooms) do
			if room.jid == set.after then
				start = i + 1;
				break;
			end
		end
	end

	local answer = { count = #rooms };
	for i = start, math.min(start + max - 1, #rooms) do
		local room = rooms[i];
		local occupants = 0;
		for _ in room:each_occupant() do
			occupants = occupants + 1;
		end
		local name = room:get_name() or room.jid:match("^[^@]+");
		reply:tag("item", { jid = room.jid, name = ("%s (%d)"):format(name, occupants) }):up();
		if i == start then
			answer.first = { index = start - 1, room.jid };
		end
		answer.last = room.jid;
	end
	reply:add_child(rsm.generate(answer));
	origin.send(reply);
	return true;
end, 10);
