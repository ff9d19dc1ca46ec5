// SPDX-License-Identifier: GPL-2.0
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MAX_PAYLOAD 1280

struct leg {
    __u32 expect_ip;   /* network order: the only source the leg takes (strict source) */
    __u32 src_ip;      /* network order: our address towards the other party; 0: the address the packet came to */
    __u32 dst_ip;      /* network order: the other party */
    __u16 expect_port; /* network order */
    __u16 src_port;    /* network order: our port towards the other party */
    __u16 dst_port;    /* network order */
    __u16 id;          /* the recorder's leg */
    __u32 ssrc;        /* host order: the SSRC the other party sees; 0: as received */
    __u32 ts_offset;   /* host order: added to the RTP timestamp */
    __u16 seq_offset;  /* host order: added to the RTP sequence number */
    __u8 spare_type;
    __u8 record;       /* 1: copy the RTP packet to the recorder's ring */
    __u32 input_ssrc;  /* host order: the sender's SSRC the offsets were set for; another goes to user space */
    /* Written here, read by user space when it takes the leg back: where the stream the other party sees stands. */
    __u32 last_ts;     /* host order: the last timestamp sent */
    __u16 last_seq;    /* host order: the last sequence number sent */
    __u16 spare;
    __u32 ring;        /* which of the recorder's rings gets the copies: the one its poll thread reads */
    __u64 packets;     /* forwarded on this leg */
    __u64 pass_types[2]; /* bit n: payload type n goes to user space (telephone-event while *1 is armed) */
    __u32 out_ifindex; /* the interface towards the other party (its route's); 0: on this host, the stack delivers it */
    __u32 spare2;
};

struct copied {
    __u16 leg;
    __u16 length;
    __u8 rtp[MAX_PAYLOAD];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u16); /* the local port the packet arrived at, host order */
    __type(value, struct leg);
} legs SEC(".maps");

#define RING_BYTES (4 * 1024 * 1024)

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct copied);
} scratch SEC(".maps");

/* One ring per poll thread: the copies of a leg are read on the thread that reads its sockets, so the recorder's
   per-leg buffers keep a single producer. User space makes the rings and puts them here. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 64);
    __type(key, __u32);
    __array(values, struct {
        __uint(type, BPF_MAP_TYPE_RINGBUF);
        __uint(max_entries, RING_BYTES);
    });
} rings SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} counters SEC(".maps"); /* 0: forwarded in the kernel, 1: not copied (the ring full, or none for the leg) */

/* tcx's "next program" (TC_ACT_UNSPEC under classic tc): another relay on the interface (a second server on the
   host) may own the port the packet goes to now, and anything not ours must reach whoever is after us. */
#define NEXT TC_ACT_UNSPEC

/* A party on this host (loopback, a local address) gets the packet from the stack by its new address; one elsewhere
   leaves by the interface its route names, the kernel filling in the next hop's address (a relay is no router: it
   needs no IP forwarding, which bpf_fib_lookup would). */
static __always_inline int out(struct leg *leg)
{
    __u32 ifindex = leg->out_ifindex;
    if (!ifindex) return NEXT;
    return bpf_redirect_neigh(ifindex, 0, 0, 0);
}

static __always_inline void count(__u32 which)
{
    __u64 *value = bpf_map_lookup_elem(&counters, &which);
    if (value) *value += 1;
}

SEC("tc")
int relay(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return NEXT;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP || (ip->frag_off & bpf_htons(0x3fff))) return NEXT;
    struct udphdr *udp = (void *)(ip + 1);
    if ((void *)(udp + 1) > end) return NEXT;
    __u16 local = bpf_ntohs(udp->dest);
    struct leg *leg = bpf_map_lookup_elem(&legs, &local);
    if (!leg) return NEXT;
    if (ip->saddr != leg->expect_ip || udp->source != leg->expect_port) return NEXT; /* strangers: user space counts and drops them */
    __u8 *rtp = (void *)(udp + 1);
    if ((void *)(rtp + 12) > end || (rtp[0] & 0xc0) != 0x80) return NEXT;
    __u8 type = rtp[1] & 0x7f;
    if (type >= 72 && type <= 76) return NEXT; /* RTCP muxed on the RTP port */
    if ((leg->pass_types[type >> 6] >> (type & 63)) & 1) return NEXT;
    if (leg->ssrc && bpf_ntohl(*(__u32 *)(rtp + 8)) != leg->input_ssrc) return NEXT; /* a new stream: user space continues the timeline */
    __u32 length = bpf_ntohs(udp->len);
    if (length < sizeof(*udp) + 12) return NEXT;
    length -= sizeof(*udp);
    const __u32 rtp_offset = sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr);
    /* Read before any helper writes the packet: its pointers are void after that. */
    __u32 old_src = ip->saddr, old_dst = ip->daddr;
    __u16 old_seq = *(__u16 *)(rtp + 2);
    __u32 old_ts = *(__u32 *)(rtp + 4);
    __u32 old_ssrc = *(__u32 *)(rtp + 8);
    __u16 old_sport = udp->source, old_dport = udp->dest;

    __u32 ring_index = leg->ring;
    void *ring = leg->record ? bpf_map_lookup_elem(&rings, &ring_index) : 0;
    if (leg->record && !ring) count(1);
    if (ring) {
        /* Built in per-CPU scratch and sent at its own length: a ring of 20 ms G.711 copies holds seven times more than
           with fixed-size reservations of the largest packet, so a poll thread held up a while loses nothing. */
        __u32 zero = 0;
        struct copied *copy = bpf_map_lookup_elem(&scratch, &zero);
        __u32 n = length;
        if (n > MAX_PAYLOAD) n = MAX_PAYLOAD;
        if (!copy || n < 1 || bpf_skb_load_bytes(skb, rtp_offset, copy->rtp, n) < 0) count(1);
        else {
            copy->leg = leg->id;
            copy->length = n;
            if (bpf_ringbuf_output(ring, copy, offsetof(struct copied, rtp) + n, 0) < 0) count(1);
        }
    }

    /* Every change goes into the UDP checksum as it is made (incrementally: the payload is not read again). A sender's
       checksum of 0 (none) stays 0; a packet from a local socket whose checksum the NIC is still to compute
       (CHECKSUM_PARTIAL, as over a veth) gets only the pseudo-header's changes, as the helpers know. */
    const __u32 ip_offset = sizeof(struct ethhdr);
    const __u32 udp_offset = ip_offset + sizeof(struct iphdr);
    const __u32 check = udp_offset + offsetof(struct udphdr, check);

    /* The RTP fields the relay owns: one continuous stream for the other party, whatever SSRC the sender changed to. */
    if (leg->ssrc) {
        __u16 seq = bpf_htons(bpf_ntohs(old_seq) + leg->seq_offset);
        __u32 ts = bpf_htonl(bpf_ntohl(old_ts) + leg->ts_offset);
        __u32 ssrc = bpf_htonl(leg->ssrc);
        bpf_l4_csum_replace(skb, check, old_seq, seq, BPF_F_MARK_MANGLED_0 | 2);
        bpf_l4_csum_replace(skb, check, old_ts, ts, BPF_F_MARK_MANGLED_0 | 4);
        bpf_l4_csum_replace(skb, check, old_ssrc, ssrc, BPF_F_MARK_MANGLED_0 | 4);
        bpf_skb_store_bytes(skb, rtp_offset + 2, &seq, 2, 0);
        bpf_skb_store_bytes(skb, rtp_offset + 4, &ts, 4, 0);
        bpf_skb_store_bytes(skb, rtp_offset + 8, &ssrc, 4, 0);
        leg->last_seq = bpf_ntohs(seq);
        leg->last_ts = bpf_ntohl(ts);
    }
    __sync_fetch_and_add(&leg->packets, 1);

    __u32 new_src = leg->src_ip ? leg->src_ip : old_dst, new_dst = leg->dst_ip;
    __u16 new_sport = leg->src_port, new_dport = leg->dst_port;
    bpf_l4_csum_replace(skb, check, old_src, new_src, BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | 4);
    bpf_l4_csum_replace(skb, check, old_dst, new_dst, BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | 4);
    bpf_l4_csum_replace(skb, check, old_sport, new_sport, BPF_F_MARK_MANGLED_0 | 2);
    bpf_l4_csum_replace(skb, check, old_dport, new_dport, BPF_F_MARK_MANGLED_0 | 2);
    bpf_l3_csum_replace(skb, ip_offset + offsetof(struct iphdr, check), old_src, new_src, 4);
    bpf_l3_csum_replace(skb, ip_offset + offsetof(struct iphdr, check), old_dst, new_dst, 4);
    bpf_skb_store_bytes(skb, ip_offset + offsetof(struct iphdr, saddr), &new_src, 4, 0);
    bpf_skb_store_bytes(skb, ip_offset + offsetof(struct iphdr, daddr), &new_dst, 4, 0);
    bpf_skb_store_bytes(skb, udp_offset + offsetof(struct udphdr, source), &new_sport, 2, 0);
    bpf_skb_store_bytes(skb, udp_offset + offsetof(struct udphdr, dest), &new_dport, 2, 0);
    count(0);
    return out(leg);
}

char LICENSE[] SEC("license") = "GPL";
