#!/usr/bin/env python3
"""Writes the RTP pcaps the load scenarios play (SIPp play_pcap_audio), so no binary media is committed.

One RTP stream per file: 20 ms PCMU packets of a sine tone, one SSRC, continuous sequence numbers and timestamps,
in Ethernet/IPv4/UDP frames. With --keys, RFC 4733 telephone-event packets (payload type 101) for each key go into
the same stream (SIPp does not rewrite RTP headers, so a second pcap would be a second stream): the first packet with
the marker bit, the last three with the end bit, audio packets continuing in between as phones send them.

With --srtp-key (base64 of a 16-byte master key and 14-byte salt, as in a=crypto inline:), every packet is SRTP
(RFC 3711, AES_CM_128_HMAC_SHA1_80): the load harness's SRTP mode, since SIPp cannot encrypt.

Usage: make_pcaps.py OUT.pcap FREQUENCY_HZ SECONDS [--ssrc N] [--keys "*@1.5,1@2.0"] [--srtp-key BASE64]
"""
import argparse
import math
import struct


def mulaw(sample):
    # ITU-T G.711 mu-law: bias, segment, inverted bits.
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not magnitude & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def srtp_protector(inline):
    """AES-CM keystream and HMAC-SHA1 tag of RFC 3711 with key derivation rate 0 (needs python3-cryptography)."""
    import base64
    import hashlib
    import hmac
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    material = base64.b64decode(inline)
    master_key, master_salt = material[:16], material[16:30]

    def ecb(key, blocks):
        encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
        return encryptor.update(blocks) + encryptor.finalize()

    def derive(label, length):
        x = bytearray(master_salt + b"\0\0")
        x[7] ^= label
        blocks = b"".join(bytes(x[:14]) + struct.pack("!H", i) for i in range((length + 15) // 16))
        return ecb(master_key, blocks)[:length]

    cipher_key, auth_key, salt = derive(0, 16), derive(1, 20), derive(2, 14)

    def protect(rtp):
        sequence, ssrc = struct.unpack_from("!H", rtp, 2)[0], struct.unpack_from("!I", rtp, 8)[0]
        iv = bytearray(salt + b"\0\0")
        for i, b in enumerate(struct.pack("!I", ssrc)):
            iv[4 + i] ^= b
        for i, b in enumerate(struct.pack("!Q", sequence)[2:]):  # 48-bit index, rollover counter 0
            iv[8 + i] ^= b
        payload = rtp[12:]
        blocks = b"".join(bytes(iv[:14]) + struct.pack("!H", i) for i in range((len(payload) + 15) // 16))
        keystream = ecb(cipher_key, blocks)
        encrypted = rtp[:12] + bytes(a ^ b for a, b in zip(payload, keystream))
        tag = hmac.new(auth_key, encrypted + b"\0\0\0\0", hashlib.sha1).digest()[:10]
        return encrypted + tag

    return protect


def frame(rtp):
    udp = struct.pack("!HHHH", 6000, 6002, 8 + len(rtp), 0) + rtp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
    return b"\0" * 12 + b"\x08\x00" + ip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("frequency", type=float)
    parser.add_argument("seconds", type=float)
    parser.add_argument("--ssrc", type=int, default=0x11111111)
    parser.add_argument("--keys", default="", help='e.g. "*@1.5,1@2.0": key @ seconds')
    parser.add_argument("--srtp-key", default="", help="base64 master key and salt: write SRTP")
    args = parser.parse_args()
    protect = srtp_protector(args.srtp_key) if args.srtp_key else (lambda rtp: rtp)
    keys = []
    for item in filter(None, args.keys.split(",")):
        key, at = item.split("@")
        code = {"*": 10, "#": 11}.get(key, None)
        keys.append((int(round(float(at) * 50)), code if code is not None else int(key)))

    records = []
    sequence = 1000
    for n in range(int(args.seconds * 50)):
        payload = bytes(mulaw(int(8000 * math.sin(2 * math.pi * args.frequency * (n * 160 + i) / 8000))) for i in range(160))
        records.append((n * 20000, struct.pack("!BBHII", 0x80, 0, sequence, n * 160, args.ssrc) + payload))
        sequence += 1
        for start, code in keys:
            index = n - start
            if 0 <= index <= 5:
                marker = 0x80 if index == 0 else 0
                end = 0x80 if index >= 3 else 0
                event = struct.pack("!BBH", code, end | 10, 160 * min(index + 1, 4))
                records.append((n * 20000 + 10000, struct.pack("!BBHII", 0x80, marker | 101, sequence, start * 160, args.ssrc) + event))
                sequence += 1

    with open(args.out, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for micros, rtp in records:
            data = frame(protect(rtp))
            out.write(struct.pack("<IIII", micros // 1000000, micros % 1000000, len(data), len(data)) + data)


if __name__ == "__main__":
    main()
