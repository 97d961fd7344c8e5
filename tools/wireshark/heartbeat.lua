-- SPDX-License-Identifier: GPL-2.0-only
--[[
Wireshark and tshark dissector of the heartbeat wire protocol
(Documentation/protocol.rst; the codec is kmod/proto.c).

  tshark -X lua_script:tools/wireshark/heartbeat.lua -r capture.pcap -V

or copied to ~/.local/lib/wireshark/plugins/ (make install puts it in
/usr/lib/x86_64-linux-gnu/wireshark/plugins/ or the like: see the admin
guide, "Capturing heartbeat frames").

Every message, header field, flag and TLV of version 1 is decoded. A frame
the module's codec would drop is marked as malformed expert info, under the
name of the drop counter it would be counted in (heartbeat.drop: short,
magic, version, length, type, field, tlv; hbctl stats). With the sender's
keys in the preference heartbeat.keys ("ID=HEXSECRET,..."), the AUTH TLV's
MAC is checked too. Each sender's stream (its link, in one incarnation) is
followed: frames missing from it (heartbeat.analysis.lost) and copies or
replays (heartbeat.analysis.stale) are marked.

Preferences: heartbeat.ethertype (the module's ethertype parameter, 0x88B5
by default), heartbeat.keys.
]]

-- Constants of kmod/proto.h (the host test compares them with it).
local ETHERTYPE = 0x88B5
local MAGIC = 0x4842
local VERSION = 1
local HDR_LEN = 48
local MSG_MAX = 1024
local TLV_HDR_LEN = 4
local TLV_CRITICAL = 0x8000
local LINK_ID_MAX = 32
local INTERVAL_MIN_US = 1000
local INTERVAL_MAX_US = 60000000
local FLAG_NOT_READY = 0x0001

local MSG_HEARTBEAT, MSG_LEAVE, MSG_PROBE, MSG_PROBE_REQ, MSG_ACK, MSG_DYING = 1, 2, 3, 4, 5, 6
local msg_types = {
	[MSG_HEARTBEAT] = "HEARTBEAT", [MSG_LEAVE] = "LEAVE", [MSG_PROBE] = "PROBE",
	[MSG_PROBE_REQ] = "PROBE_REQ", [MSG_ACK] = "ACK", [MSG_DYING] = "DYING",
}

local TLV_PAD, TLV_AUTH, TLV_ECHO, TLV_GOSSIP = 0, 0x8001, 0x0002, 0x0003
local TLV_LATE, TLV_PROBE, TLV_DYING = 0x0004, 0x8005, 0x0006
local tlv_types = {
	[TLV_PAD] = "PAD", [TLV_AUTH] = "AUTH", [TLV_ECHO] = "ECHO", [TLV_GOSSIP] = "GOSSIP",
	[TLV_LATE] = "LATE", [TLV_PROBE] = "PROBE", [TLV_DYING] = "DYING",
}

local AUTH_MAC_LEN = 16
local AUTH_VALUE_LEN = 4 + AUTH_MAC_LEN
local ECHO_ENTRY_LEN, ECHO_MAX = 16, 8
local GOSSIP_HDR_LEN, GOSSIP_ENTRY_LEN, GOSSIP_MAX = 4, 20, 32
local GOSSIP_AGE_MAX = 0xffffffff
local LATE_VALUE_LEN = 8
local PROBE_VALUE_LEN = 16
local DYING_VALUE_LEN = 4

local dying_reasons = { [0] = "none", [1] = "panic", [2] = "reboot", [3] = "halt", [4] = "poweroff" }
local DYING_REASON_MAX = 4
local states = {
	[0] = "unknown", [1] = "alive", [2] = "suspect", [3] = "dead", [4] = "left",
	[5] = "unreachable",
}

-- The codec's verdicts (enum hb_decode_err), by the drop counter's name.
local DROP_SHORT, DROP_MAGIC, DROP_VERSION, DROP_LENGTH = "short", "magic", "version", "length"
local DROP_TYPE, DROP_FIELD, DROP_TLV = "type", "field", "tlv"

local hb = Proto("heartbeat", "Heartbeat cluster liveness protocol")

local f = {
	magic = ProtoField.uint16("heartbeat.magic", "Magic", base.HEX),
	version = ProtoField.uint8("heartbeat.version", "Version"),
	type = ProtoField.uint8("heartbeat.type", "Type", base.DEC, msg_types),
	length = ProtoField.uint16("heartbeat.length", "Length"),
	link = ProtoField.uint16("heartbeat.link", "Link id"),
	cluster = ProtoField.uint32("heartbeat.cluster", "Cluster"),
	node = ProtoField.uint32("heartbeat.node", "Node"),
	incarnation = ProtoField.uint64("heartbeat.incarnation", "Incarnation"),
	seq = ProtoField.uint64("heartbeat.seq", "Sequence"),
	tx_time = ProtoField.uint64("heartbeat.tx_time", "Transmit time (ns)"),
	tx_time_abs = ProtoField.absolute_time("heartbeat.tx_time.abs", "Transmit time", base.UTC),
	interval = ProtoField.uint32("heartbeat.interval", "Interval (us)"),
	flags = ProtoField.uint16("heartbeat.flags", "Flags", base.HEX),
	flag_not_ready = ProtoField.bool("heartbeat.flags.not_ready", "NOT_READY", 16,
		{ "an application of the sender is not ready", "ready" }, FLAG_NOT_READY),
	flags_unknown = ProtoField.uint16("heartbeat.flags.unknown", "Unknown flags", base.HEX),
	reserved = ProtoField.uint16("heartbeat.reserved", "Reserved", base.HEX),
	data = ProtoField.bytes("heartbeat.data", "Not decoded"),
	drop = ProtoField.string("heartbeat.drop", "Receivers drop it as"),

	tlv_type = ProtoField.uint16("heartbeat.tlv.type", "TLV type", base.HEX, tlv_types),
	tlv_critical = ProtoField.bool("heartbeat.tlv.critical", "Critical", 16, nil, TLV_CRITICAL),
	tlv_len = ProtoField.uint16("heartbeat.tlv.len", "TLV length"),
	tlv_value = ProtoField.bytes("heartbeat.tlv.value", "Value"),
	tlv_padding = ProtoField.bytes("heartbeat.tlv.padding", "Padding"),

	auth_key = ProtoField.uint16("heartbeat.auth.key_id", "Key id"),
	auth_reserved = ProtoField.uint16("heartbeat.auth.reserved", "Reserved", base.HEX),
	auth_mac = ProtoField.bytes("heartbeat.auth.mac", "MAC"),
	auth_mac_good = ProtoField.bool("heartbeat.auth.mac_good", "MAC verified"),

	echo_node = ProtoField.uint32("heartbeat.echo.node", "Node"),
	echo_link = ProtoField.uint16("heartbeat.echo.link", "Link id"),
	echo_reserved = ProtoField.uint16("heartbeat.echo.reserved", "Reserved", base.HEX),
	echo_seq = ProtoField.uint64("heartbeat.echo.seq", "Sequence"),

	gossip_total = ProtoField.uint16("heartbeat.gossip.total", "Members in the sender's view"),
	gossip_first = ProtoField.uint16("heartbeat.gossip.first", "Position of the first entry"),
	gossip_node = ProtoField.uint32("heartbeat.gossip.node", "Node"),
	gossip_age = ProtoField.uint32("heartbeat.gossip.age", "Age (us)"),
	gossip_incarnation = ProtoField.uint64("heartbeat.gossip.incarnation", "Incarnation"),
	gossip_state = ProtoField.uint8("heartbeat.gossip.state", "State", base.DEC, states),
	gossip_reserved = ProtoField.bytes("heartbeat.gossip.reserved", "Reserved"),

	late = ProtoField.uint32("heartbeat.late", "Timer late by (us)"),
	late_reserved = ProtoField.uint32("heartbeat.late.reserved", "Reserved", base.HEX),

	probe_target = ProtoField.uint32("heartbeat.probe.target", "Target"),
	probe_origin = ProtoField.uint32("heartbeat.probe.origin", "Origin"),
	probe_helper = ProtoField.uint32("heartbeat.probe.helper", "Helper"),
	probe_token = ProtoField.uint32("heartbeat.probe.token", "Token", base.HEX),

	dying_reason = ProtoField.uint8("heartbeat.dying.reason", "Reason", base.DEC, dying_reasons),
	dying_reserved = ProtoField.bytes("heartbeat.dying.reserved", "Reserved"),

	lost = ProtoField.uint64("heartbeat.analysis.lost", "Frames lost before this one"),
	stale = ProtoField.uint64("heartbeat.analysis.stale", "Not above the stream's latest sequence"),
}
hb.fields = f

-- A malformed frame's expert info names the drop counter it goes to.
local function malformed(name, what)
	return ProtoExpert.new("heartbeat.malformed." .. name, what,
		expert.group.MALFORMED, expert.severity.ERROR)
end

local e = {
	short = malformed(DROP_SHORT, "Shorter than the header"),
	magic = malformed(DROP_MAGIC, "Not a heartbeat magic"),
	version = malformed(DROP_VERSION, "Unknown version"),
	length = malformed(DROP_LENGTH, "Bad length field"),
	type = malformed(DROP_TYPE, "Unknown message type"),
	field = malformed(DROP_FIELD, "Field out of range"),
	tlv = malformed(DROP_TLV, "Malformed TLV"),
	reserved = ProtoExpert.new("heartbeat.reserved_set", "Reserved bits set (receivers ignore them)",
		expert.group.PROTOCOL, expert.severity.WARN),
	flags = ProtoExpert.new("heartbeat.flags.unknown_set", "Unknown flags (receivers ignore them)",
		expert.group.PROTOCOL, expert.severity.NOTE),
	padding = ProtoExpert.new("heartbeat.tlv.padding_set", "TLV padding is not zero",
		expert.group.PROTOCOL, expert.severity.WARN),
	unknown_tlv = ProtoExpert.new("heartbeat.tlv.unknown", "Unknown TLV (receivers skip it)",
		expert.group.UNDECODED, expert.severity.NOTE),
	not_ready = ProtoExpert.new("heartbeat.not_ready", "Sender not ready",
		expert.group.SEQUENCE, expert.severity.NOTE),
	dying = ProtoExpert.new("heartbeat.last_words", "Last words: the sender is going down",
		expert.group.SEQUENCE, expert.severity.NOTE),
	leave = ProtoExpert.new("heartbeat.leave", "The sender leaves the cluster",
		expert.group.SEQUENCE, expert.severity.NOTE),
	bad_mac = ProtoExpert.new("heartbeat.auth.bad_mac", "MAC does not verify (receivers drop it: bad_mac)",
		expert.group.SECURITY, expert.severity.ERROR),
	no_key = ProtoExpert.new("heartbeat.auth.no_key", "Signed with a key not in heartbeat.keys",
		expert.group.SECURITY, expert.severity.CHAT),
}
e.cut = ProtoExpert.new("heartbeat.snaplen", "Frame cut short by the capture's snapshot length: not checked",
	expert.group.UNDECODED, expert.severity.WARN)
e.lost = ProtoExpert.new("heartbeat.analysis.lost_frames", "Frames of this stream missing before this one",
	expert.group.SEQUENCE, expert.severity.WARN)
e.stale = ProtoExpert.new("heartbeat.analysis.stale_seq",
	"Sequence not above the stream's latest: a copy or a replay (receivers drop it: stale_seq)",
	expert.group.SEQUENCE, expert.severity.WARN)
hb.experts = { e.short, e.magic, e.version, e.length, e.type, e.field, e.tlv, e.reserved,
	e.flags, e.padding, e.unknown_tlv, e.not_ready, e.dying, e.leave, e.bad_mac, e.no_key,
	e.lost, e.stale, e.cut }

-- A string, so that it reads as the module parameter does: 0x88B5.
hb.prefs.ethertype = Pref.string("EtherType", string.format("0x%04X", ETHERTYPE),
	"The EtherType heartbeat frames use (the module parameter ethertype): 0x88B5 or 34997")
hb.prefs.keys = Pref.string("Keys", "",
	"Keys to check MACs with: ID=HEXSECRET, comma separated (the secret files of hbctl key add, in hex)")

----------------------------------------------------------------------------
-- HMAC-SHA256 (FIPS 180-4, RFC 2104) for the AUTH TLV; bit32 is Lua 5.2's.

local band, bxor, bnot, rrotate, rshift = bit32.band, bit32.bxor, bit32.bnot, bit32.rrotate, bit32.rshift

local K = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}
local H0 = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 }

-- The compression function: h (8 words) updated with the 64-byte block of
-- msg at offset at.
local w = {}
local function compress(h, msg, at)
	for i = 0, 15 do
		local a, b, c, d = msg:byte(at + 4 * i, at + 4 * i + 3)
		w[i] = ((a * 256 + b) * 256 + c) * 256 + d
	end
	for i = 16, 63 do
		local x, y = w[i - 15], w[i - 2]
		local s0 = bxor(rrotate(x, 7), rrotate(x, 18), rshift(x, 3))
		local s1 = bxor(rrotate(y, 17), rrotate(y, 19), rshift(y, 10))
		w[i] = band(w[i - 16] + s0 + w[i - 7] + s1, 0xffffffff)
	end
	local a, b, c, d, e_, f_, g, hh = table.unpack(h)
	for i = 0, 63 do
		local S1 = bxor(rrotate(e_, 6), rrotate(e_, 11), rrotate(e_, 25))
		local ch = bxor(band(e_, f_), band(bnot(e_), g))
		local t1 = hh + S1 + ch + K[i + 1] + w[i]
		local S0 = bxor(rrotate(a, 2), rrotate(a, 13), rrotate(a, 22))
		local maj = bxor(band(a, b), band(a, c), band(b, c))
		hh, g, f_, e_ = g, f_, e_, band(d + t1, 0xffffffff)
		d, c, b, a = c, b, a, band(t1 + S0 + maj, 0xffffffff)
	end
	h[1], h[2], h[3], h[4] = band(h[1] + a, 0xffffffff), band(h[2] + b, 0xffffffff),
		band(h[3] + c, 0xffffffff), band(h[4] + d, 0xffffffff)
	h[5], h[6], h[7], h[8] = band(h[5] + e_, 0xffffffff), band(h[6] + f_, 0xffffffff),
		band(h[7] + g, 0xffffffff), band(h[8] + hh, 0xffffffff)
end

-- SHA-256 of msg, continuing from state h (a copy is taken) after done
-- bytes already hashed (a multiple of 64).
local function sha256_from(h, done, msg)
	local bits = (done + #msg) * 8
	local tail = {}
	for i = 7, 0, -1 do
		tail[#tail + 1] = string.char(math.floor(bits / 2 ^ (8 * i)) % 256)
	end
	msg = msg .. "\128" .. string.rep("\0", (55 - #msg) % 64) .. table.concat(tail)
	h = { table.unpack(h) }
	for at = 1, #msg, 64 do
		compress(h, msg, at)
	end
	local out = {}
	for i = 1, 8 do
		local v = h[i]
		out[i] = string.char(rshift(v, 24), band(rshift(v, 16), 0xff), band(rshift(v, 8), 0xff), band(v, 0xff))
	end
	return table.concat(out)
end

local function sha256(msg)
	return sha256_from(H0, 0, msg)
end

-- An HMAC-SHA256 key: the states after its inner and outer pad blocks,
-- worked out once per key rather than per frame.
local function hmac_key(key)
	if #key > 64 then
		key = sha256(key)
	end
	key = key .. string.rep("\0", 64 - #key)
	local ipad, opad = {}, {}
	for i = 1, 64 do
		local k = key:byte(i)
		ipad[i] = string.char(bxor(k, 0x36))
		opad[i] = string.char(bxor(k, 0x5c))
	end
	local inner, outer = { table.unpack(H0) }, { table.unpack(H0) }
	compress(inner, table.concat(ipad), 1)
	compress(outer, table.concat(opad), 1)
	return { inner = inner, outer = outer }
end

local function hmac_sha256(k, msg)
	return sha256_from(k.outer, 64, sha256_from(k.inner, 64, msg))
end

-- heartbeat.keys parsed: key id -> its HMAC key (hmac_key()).
local keys = {}
local keys_pref

local function parse_keys(text)
	local t = {}
	for id, hex in text:gmatch("(%d+)%s*=%s*(%x+)") do
		if #hex % 2 == 0 then
			t[tonumber(id)] = hmac_key((hex:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)))
		end
	end
	return t
end

----------------------------------------------------------------------------
-- Dissection. Nothing here reads past the buffer: every range is checked
-- first, so a frame of any content gives a tree, never a Lua error.

local registered_ethertype

-- Sequence analysis: a stream is a sender's link in one incarnation, and
-- HEARTBEAT, LEAVE and DYING frames number it (probes carry its current
-- number without advancing it). Worked out on the first pass, in capture
-- order, and kept per frame for later ones.
local streams, seq_notes

local function forget_streams()
	streams, seq_notes = {}, {}
end
hb.init = forget_streams
forget_streams()

local function analyse_seq(fr, tree, tvb, pinfo)
	if fr.type ~= MSG_HEARTBEAT and fr.type ~= MSG_LEAVE and fr.type ~= MSG_DYING then
		return
	end
	if not pinfo.visited then
		local key = string.format("%u/%s/%u", fr.node, tostring(tvb(16, 8):uint64()), tvb(6, 2):uint())
		local seq, last = tvb(24, 8):uint64(), streams[key]
		if not last or seq > last then
			if last and seq - last > UInt64(1) then
				seq_notes[pinfo.number] = { lost = seq - last - 1 }
			end
			streams[key] = seq
		else
			seq_notes[pinfo.number] = { stale = last }
		end
	end
	local note = seq_notes[pinfo.number]
	if note and note.lost then
		tree:add(f.lost, tvb(24, 8), note.lost):set_generated():add_proto_expert_info(e.lost,
			"Frames missing before this one: " .. tostring(note.lost))
	elseif note then
		tree:add(f.stale, tvb(24, 8), note.stale):set_generated():add_proto_expert_info(e.stale,
			"Sequence not above the stream's latest, " .. tostring(note.stale) ..
			": a copy or a replay (receivers drop it: stale_seq)")
	end
end

local function register()
	local tbl = DissectorTable.get("ethertype")
	local ethertype = tonumber(hb.prefs.ethertype)
	if not ethertype or ethertype < 0x600 or ethertype > 0xffff then
		ethertype = ETHERTYPE
	end
	if registered_ethertype ~= ethertype then
		if registered_ethertype then
			tbl:remove(registered_ethertype, hb)
		else
			-- Decode As... offers it for any other EtherType too.
			tbl:add_for_decode_as(hb)
		end
		registered_ethertype = ethertype
		tbl:add(registered_ethertype, hb)
	end
	if keys_pref ~= hb.prefs.keys then
		keys_pref = hb.prefs.keys
		keys = parse_keys(keys_pref)
	end
end

-- The state of one frame's dissection: its problems, and the verdict of
-- the codec, which reports the first check that fails in its order.
local Frame = {}
Frame.__index = Frame

-- The codec's order of checks (hb_msg_decode, hb_tlvs_valid).
local STAGE_SHORT, STAGE_MAGIC, STAGE_VERSION, STAGE_LENGTH = 1, 2, 3, 4
local STAGE_TYPE, STAGE_HEADER, STAGE_TLVS, STAGE_PROBE_PRESENCE = 5, 6, 7, 8
local STAGE_DYING, STAGE_PROBE_PARTIES = 9, 10

function Frame:problem(stage, reason, item, text)
	item:add_proto_expert_info(e[reason], text)
	if not self.stage or stage < self.stage then
		self.stage, self.verdict = stage, reason
	end
end

local function u64_is_zero(tvb, off)
	return tvb(off, 4):uint() == 0 and tvb(off + 4, 4):uint() == 0
end

local function add_tx_time(tree, tvb, off)
	local item = tree:add(f.tx_time, tvb(off, 8))
	local ns = tvb(off, 8):uint64()
	local sec = (ns / 1000000000):tonumber()
	local nsec = (ns % 1000000000):tonumber()
	tree:add(f.tx_time_abs, tvb(off, 8), NSTime(sec, nsec)):set_generated()
	return item
end

local function add_padding(fr, tree, tvb, off, len)
	if len <= 0 then
		return
	end
	local item = tree:add(f.tlv_padding, tvb(off, len))
	for i = 0, len - 1 do
		if tvb(off + i, 1):uint() ~= 0 then
			item:add_proto_expert_info(e.padding)
			break
		end
	end
end

local function dissect_auth(fr, tree, tvb, off, vlen, last)
	if vlen ~= AUTH_VALUE_LEN or not last then
		fr:problem(STAGE_TLVS, DROP_TLV, tree, vlen ~= AUTH_VALUE_LEN and
			string.format("AUTH TLV of %d bytes, not %d", vlen, AUTH_VALUE_LEN) or
			"AUTH TLV not the last")
		if vlen ~= AUTH_VALUE_LEN then
			return
		end
	end
	local key_id = tvb(off, 2):uint()
	tree:add(f.auth_key, tvb(off, 2))
	local rsv = tree:add(f.auth_reserved, tvb(off + 2, 2))
	if tvb(off + 2, 2):uint() ~= 0 then
		rsv:add_proto_expert_info(e.reserved)
	end
	local mac_item = tree:add(f.auth_mac, tvb(off + 4, AUTH_MAC_LEN))
	fr.key_id = key_id
	local secret = keys[key_id]
	if not secret then
		if next(keys) then
			mac_item:add_proto_expert_info(e.no_key, "Key " .. key_id .. " is not in heartbeat.keys")
		end
		return
	end
	local want = hmac_sha256(secret, tvb:raw(0, off + 4)):sub(1, AUTH_MAC_LEN)
	local good = want == tvb:raw(off + 4, AUTH_MAC_LEN)
	tree:add(f.auth_mac_good, tvb(off + 4, AUTH_MAC_LEN), good):set_generated()
	if not good then
		mac_item:add_proto_expert_info(e.bad_mac)
		fr.bad_mac = true
	end
end

local function dissect_echo(fr, tree, tvb, off, vlen)
	if vlen == 0 or vlen % ECHO_ENTRY_LEN ~= 0 or vlen > ECHO_MAX * ECHO_ENTRY_LEN or fr.echo then
		fr:problem(STAGE_TLVS, DROP_TLV, tree, fr.echo and "A second ECHO TLV" or
			string.format("ECHO TLV of %d bytes: not 1 to %d entries of %d", vlen, ECHO_MAX,
				ECHO_ENTRY_LEN))
	end
	fr.echo = true
	for i = 0, math.floor(vlen / ECHO_ENTRY_LEN) - 1 do
		local p = off + i * ECHO_ENTRY_LEN
		local sub = tree:add(hb, tvb(p, ECHO_ENTRY_LEN), string.format("Echo of node %u: link %u, sequence %s",
			tvb(p, 4):uint(), tvb(p + 4, 2):uint(), tostring(tvb(p + 8, 8):uint64())))
		sub:add(f.echo_node, tvb(p, 4))
		sub:add(f.echo_link, tvb(p + 4, 2))
		local rsv = sub:add(f.echo_reserved, tvb(p + 6, 2))
		if tvb(p + 6, 2):uint() ~= 0 then
			rsv:add_proto_expert_info(e.reserved)
		end
		sub:add(f.echo_seq, tvb(p + 8, 8))
	end
end

local function dissect_gossip(fr, tree, tvb, off, vlen)
	local bad
	if vlen < GOSSIP_HDR_LEN + GOSSIP_ENTRY_LEN or (vlen - GOSSIP_HDR_LEN) % GOSSIP_ENTRY_LEN ~= 0 or
	   vlen > GOSSIP_HDR_LEN + GOSSIP_MAX * GOSSIP_ENTRY_LEN then
		bad = string.format("GOSSIP TLV of %d bytes: not 1 to %d entries of %d", vlen, GOSSIP_MAX,
			GOSSIP_ENTRY_LEN)
	elseif fr.gossip then
		bad = "A second GOSSIP TLV"
	end
	fr.gossip = true
	if vlen < GOSSIP_HDR_LEN then
		fr:problem(STAGE_TLVS, DROP_TLV, tree, bad)
		return
	end
	local total = tvb(off, 2):uint()
	tree:add(f.gossip_total, tvb(off, 2))
	tree:add(f.gossip_first, tvb(off + 2, 2))
	local n = math.floor((vlen - GOSSIP_HDR_LEN) / GOSSIP_ENTRY_LEN)
	if not bad and n > total then
		bad = string.format("%d gossip entries of a view of %d", n, total)
	end
	if bad then
		fr:problem(STAGE_TLVS, DROP_TLV, tree, bad)
	end
	for i = 0, n - 1 do
		local p = off + GOSSIP_HDR_LEN + i * GOSSIP_ENTRY_LEN
		local state = tvb(p + 16, 1):uint()
		local age = tvb(p + 4, 4):uint()
		local sub = tree:add(hb, tvb(p, GOSSIP_ENTRY_LEN), string.format("Gossip on node %u: %s, %s",
			tvb(p, 4):uint(), states[state] or ("state " .. state),
			age == GOSSIP_AGE_MAX and "heard long ago" or ("heard " .. age .. " us ago")))
		sub:add(f.gossip_node, tvb(p, 4))
		local age_item = sub:add(f.gossip_age, tvb(p + 4, 4))
		if age == GOSSIP_AGE_MAX then
			age_item:append_text(" (or more)")
		end
		sub:add(f.gossip_incarnation, tvb(p + 8, 8))
		sub:add(f.gossip_state, tvb(p + 16, 1))
		local rsv = sub:add(f.gossip_reserved, tvb(p + 17, 3))
		if tvb(p + 17, 1):uint() ~= 0 or tvb(p + 18, 2):uint() ~= 0 then
			rsv:add_proto_expert_info(e.reserved)
		end
	end
end

-- A TLV of fixed size: LATE, PROBE, DYING. Returns whether it had its size.
local function fixed_size(fr, tree, name, vlen, want)
	local bad
	if vlen ~= want then
		bad = string.format("%s TLV of %d bytes, not %d", name, vlen, want)
	elseif fr[name] then
		bad = "A second " .. name .. " TLV"
	end
	fr[name] = true
	if bad then
		fr:problem(STAGE_TLVS, DROP_TLV, tree, bad)
	end
	return vlen == want
end

local function dissect_late(fr, tree, tvb, off, vlen)
	if fixed_size(fr, tree, "LATE", vlen, LATE_VALUE_LEN) then
		tree:add(f.late, tvb(off, 4))
		local rsv = tree:add(f.late_reserved, tvb(off + 4, 4))
		if tvb(off + 4, 4):uint() ~= 0 then
			rsv:add_proto_expert_info(e.reserved)
		end
	end
end

local function dissect_probe(fr, tree, tvb, off, vlen)
	if fixed_size(fr, tree, "PROBE", vlen, PROBE_VALUE_LEN) then
		tree:add(f.probe_target, tvb(off, 4))
		tree:add(f.probe_origin, tvb(off + 4, 4))
		tree:add(f.probe_helper, tvb(off + 8, 4))
		tree:add(f.probe_token, tvb(off + 12, 4))
		fr.probe = { tree = tree, target = tvb(off, 4):uint(), origin = tvb(off + 4, 4):uint(),
			helper = tvb(off + 8, 4):uint(), token = tvb(off + 12, 4):uint() }
	end
end

local function dissect_dying(fr, tree, tvb, off, vlen)
	local seen = fr.has_dying
	if vlen ~= DYING_VALUE_LEN or seen then
		fr:problem(STAGE_TLVS, DROP_TLV, tree, vlen ~= DYING_VALUE_LEN and
			string.format("DYING TLV of %d bytes, not %d", vlen, DYING_VALUE_LEN) or
			"A second DYING TLV")
	end
	if vlen ~= DYING_VALUE_LEN then
		return
	end
	local reason = tvb(off, 1):uint()
	tree:add(f.dying_reason, tvb(off, 1))
	local rsv = tree:add(f.dying_reserved, tvb(off + 1, 3))
	if tvb(off + 1, 1):uint() ~= 0 or tvb(off + 2, 2):uint() ~= 0 then
		rsv:add_proto_expert_info(e.reserved)
	end
	if not seen then
		fr.has_dying, fr.dying_reason, fr.dying_tree = true, reason, tree
	end
end

local tlv_dissectors = {
	[TLV_AUTH] = dissect_auth, [TLV_ECHO] = dissect_echo, [TLV_GOSSIP] = dissect_gossip,
	[TLV_LATE] = dissect_late, [TLV_PROBE] = dissect_probe, [TLV_DYING] = dissect_dying,
}

local function dissect_tlvs(fr, tree, tvb, off, stop)
	while off < stop do
		local left = stop - off
		if left < TLV_HDR_LEN then
			local item = tree:add(f.data, tvb(off, left))
			fr:problem(STAGE_TLVS, DROP_TLV, item, "A TLV header cut short")
			return
		end
		local ttype, vlen = tvb(off, 2):uint(), tvb(off + 2, 2):uint()
		local padded = vlen + (-vlen % 4)
		local step = TLV_HDR_LEN + padded
		local name = tlv_types[ttype] or string.format("unknown 0x%04x", ttype)
		local sub = tree:add(hb, tvb(off, math.min(step, left)), string.format("TLV %s, %d bytes", name, vlen))
		sub:add(f.tlv_type, tvb(off, 2))
		sub:add(f.tlv_critical, tvb(off, 2))
		sub:add(f.tlv_len, tvb(off + 2, 2))
		if step > left then
			if left > TLV_HDR_LEN then
				sub:add(f.data, tvb(off + TLV_HDR_LEN, left - TLV_HDR_LEN))
			end
			fr:problem(STAGE_TLVS, DROP_TLV, sub,
				string.format("TLV of %d bytes runs past the end (%d left)", vlen, left - TLV_HDR_LEN))
			return
		end
		local value = off + TLV_HDR_LEN
		local dissect = tlv_dissectors[ttype]
		if dissect then
			dissect(fr, sub, tvb, value, vlen, step == left)
		elseif ttype ~= TLV_PAD and ttype ~= TLV_CRITICAL then
			if vlen > 0 then
				sub:add(f.tlv_value, tvb(value, vlen))
			end
			if band(ttype, TLV_CRITICAL) ~= 0 then
				fr:problem(STAGE_TLVS, DROP_TLV, sub, "Unknown critical TLV")
			else
				sub:add_proto_expert_info(e.unknown_tlv)
			end
		elseif vlen > 0 then
			sub:add(f.tlv_value, tvb(value, vlen))
		end
		add_padding(fr, sub, tvb, value + vlen, padded - vlen)
		off = off + step
	end
end

-- The header: every field within the captured bytes.
local function dissect_header(fr, tree, tvb, cap)
	local function fits(off, size)
		return off + size <= cap
	end
	local mtype, link, node, interval, flags
	if fits(3, 1) then
		mtype = tvb(3, 1):uint()
		local item = tree:add(f.type, tvb(3, 1))
		if not msg_types[mtype] then
			fr:problem(STAGE_TYPE, DROP_TYPE, item, "Unknown message type " .. mtype)
		end
	end
	if fits(4, 2) then
		tree:add(f.length, tvb(4, 2))
	end
	if fits(6, 2) then
		link = tvb(6, 2):uint()
		local item = tree:add(f.link, tvb(6, 2))
		if link == 0 or link > LINK_ID_MAX then
			fr:problem(STAGE_HEADER, DROP_FIELD, item, "Link id outside 1.." .. LINK_ID_MAX)
		end
	end
	if fits(8, 4) then
		tree:add(f.cluster, tvb(8, 4))
	end
	if fits(12, 4) then
		node = tvb(12, 4):uint()
		local item = tree:add(f.node, tvb(12, 4))
		if node == 0 then
			fr:problem(STAGE_HEADER, DROP_FIELD, item, "Node id 0")
		end
	end
	if fits(16, 8) then
		local item = tree:add(f.incarnation, tvb(16, 8))
		if u64_is_zero(tvb, 16) then
			fr:problem(STAGE_HEADER, DROP_FIELD, item, "Incarnation 0")
		end
	end
	if fits(24, 8) then
		local item = tree:add(f.seq, tvb(24, 8))
		if u64_is_zero(tvb, 24) then
			fr:problem(STAGE_HEADER, DROP_FIELD, item, "Sequence number 0")
		end
	end
	if fits(32, 8) then
		add_tx_time(tree, tvb, 32)
	end
	if fits(40, 4) then
		interval = tvb(40, 4):uint()
		local item = tree:add(f.interval, tvb(40, 4))
		if interval < INTERVAL_MIN_US or interval > INTERVAL_MAX_US then
			fr:problem(STAGE_HEADER, DROP_FIELD, item, "Interval outside 1 ms .. 60 s")
		end
	end
	if fits(44, 2) then
		flags = tvb(44, 2):uint()
		local item = tree:add(f.flags, tvb(44, 2))
		item:add(f.flag_not_ready, tvb(44, 2))
		local unknown = band(flags, 0xffff - FLAG_NOT_READY)
		if unknown ~= 0 then
			item:add(f.flags_unknown, tvb(44, 2), unknown):add_proto_expert_info(e.flags)
		end
		if band(flags, FLAG_NOT_READY) ~= 0 then
			item:append_text(" (NOT_READY)")
			item:add_proto_expert_info(e.not_ready)
		end
	end
	if fits(46, 2) then
		local item = tree:add(f.reserved, tvb(46, 2))
		if tvb(46, 2):uint() ~= 0 then
			item:add_proto_expert_info(e.reserved)
		end
	end
	fr.type, fr.node, fr.flags = mtype, node, flags
end

local function info(fr, tvb)
	if not fr.type then
		return "Heartbeat (cut short)"
	end
	local s = msg_types[fr.type] or ("type " .. fr.type)
	if fr.node then
		s = s .. " from node " .. fr.node
	end
	if fr.length_ok then
		s = s .. string.format(" link %u seq %s", tvb(6, 2):uint(), tostring(tvb(24, 8):uint64()))
	end
	if fr.probe then
		local p = fr.probe
		s = s .. string.format(" target %u origin %u", p.target, p.origin)
		if p.helper ~= 0 then
			s = s .. " helper " .. p.helper
		end
		s = s .. string.format(" token 0x%08x", p.token)
	end
	if fr.type == MSG_DYING then
		s = s .. " (" .. (dying_reasons[fr.dying_reason or 0] or ("reason " .. fr.dying_reason)) .. ")"
	end
	if fr.flags and band(fr.flags, FLAG_NOT_READY) ~= 0 then
		s = s .. " [NOT_READY]"
	end
	if fr.key_id then
		s = s .. " key " .. fr.key_id
	end
	if fr.bad_mac then
		s = s .. " [BAD MAC]"
	end
	return s
end

function hb.dissector(tvb, pinfo, root)
	-- size: the frame's length; cap: the bytes captured of it, fewer when
	-- the capture's snapshot length cut it. Checks of what was not captured
	-- are not made, and the verdict is the first problem found only if
	-- every check before it was made: a cut frame may get none.
	local cap, size = tvb:len(), tvb:reported_len()
	pinfo.cols.protocol = "HEARTBEAT"
	local fr = setmetatable({}, Frame)
	local used = math.min(cap, HDR_LEN)
	local tree = root:add(hb, tvb(0, cap))

	if size < HDR_LEN then
		fr:problem(STAGE_SHORT, DROP_SHORT, tree,
			string.format("%d bytes, shorter than the %d-byte header", size, HDR_LEN))
	end
	local magic_ok, version_ok = false, false
	if cap >= 2 then
		local item = tree:add(f.magic, tvb(0, 2))
		magic_ok = tvb(0, 2):uint() == MAGIC
		if not magic_ok then
			fr:problem(STAGE_MAGIC, DROP_MAGIC, item, string.format("Magic 0x%04x, not 0x%04x",
				tvb(0, 2):uint(), MAGIC))
		end
	end
	if magic_ok and cap >= 3 then
		local item = tree:add(f.version, tvb(2, 1))
		version_ok = tvb(2, 1):uint() == VERSION
		if not version_ok then
			fr:problem(STAGE_VERSION, DROP_VERSION, item, "Version " .. tvb(2, 1):uint() .. ", not " .. VERSION)
		end
	end

	-- Another magic or version: not a layout this dissector knows.
	if magic_ok and version_ok then
		local length = cap >= 6 and tvb(4, 2):uint()
		dissect_header(fr, tree, tvb, cap)
		if length and size >= HDR_LEN then
			if length < HDR_LEN or length > size or length > MSG_MAX or (length - HDR_LEN) % 4 ~= 0 then
				local why = length < HDR_LEN and "shorter than the header" or
					length > MSG_MAX and "over the " .. MSG_MAX .. "-byte maximum" or
					length > size and "longer than the frame (" .. size .. " bytes)" or
					"leaves a TLV area that is not a multiple of 4"
				fr:problem(STAGE_LENGTH, DROP_LENGTH, tree, "Length " .. length .. " " .. why)
			elseif length > cap then
				used = cap
				if cap > HDR_LEN then
					tree:add(f.data, tvb(HDR_LEN, cap - HDR_LEN))
				end
			else
				fr.length_ok = true
				used = length
				dissect_tlvs(fr, tree, tvb, HDR_LEN, length)
				-- The codec's checks after the TLV walk, in its order.
				local is_probe = fr.type == MSG_PROBE or fr.type == MSG_PROBE_REQ or fr.type == MSG_ACK
				if is_probe and not fr.probe then
					fr:problem(STAGE_PROBE_PRESENCE, DROP_TLV, tree, msg_types[fr.type] .. " without a PROBE TLV")
				elseif fr.probe and not is_probe then
					fr:problem(STAGE_PROBE_PRESENCE, DROP_TLV, fr.probe.tree, "A PROBE TLV on a " ..
						(msg_types[fr.type] or "frame of an unknown type"))
				end
				if fr.has_dying and fr.type ~= MSG_DYING then
					fr:problem(STAGE_DYING, DROP_FIELD, fr.dying_tree, "A DYING TLV on a non-DYING frame")
				elseif fr.has_dying and (fr.dying_reason < 1 or fr.dying_reason > DYING_REASON_MAX) then
					fr:problem(STAGE_DYING, DROP_FIELD, fr.dying_tree, "Unknown reason " .. fr.dying_reason)
				end
				if fr.probe and (fr.probe.target == 0 or fr.probe.origin == 0) then
					fr:problem(STAGE_PROBE_PARTIES, DROP_FIELD, fr.probe.tree, "Probe target or origin 0")
				end
			end
		end
	elseif cap > used then
		tree:add(f.data, tvb(used, cap - used))
		used = cap
	end

	if fr.length_ok and not fr.verdict then
		analyse_seq(fr, tree, tvb, pinfo)
	end
	if fr.type == MSG_LEAVE and not fr.verdict then
		tree:add_proto_expert_info(e.leave)
	elseif fr.type == MSG_DYING and not fr.verdict then
		tree:add_proto_expert_info(e.dying)
	end
	local text = magic_ok and version_ok and info(fr, tvb) or "Not a heartbeat frame this version reads"
	if cap < size and fr.stage and fr.stage > STAGE_VERSION and cap < 6 then
		-- The length field, checked before the type, went unseen.
		fr.stage, fr.verdict = nil, nil
	end
	if cap < size then
		-- Without a verdict, or if the TLVs went unseen: say what was not checked.
		if not fr.verdict or not fr.length_ok then
			tree:add_proto_expert_info(e.cut, string.format(
				"Captured %d of %d bytes: what was not captured is not checked", cap, size))
		end
		text = text .. string.format(" [captured %d of %d bytes]", cap, size)
	end
	if fr.verdict then
		tree:add(f.drop, fr.verdict):set_generated()
		text = text .. " [Malformed: " .. fr.verdict .. "]"
	end
	pinfo.cols.info = text
	tree:set_len(used)
	return used
end

hb.prefs_changed = register
register()
