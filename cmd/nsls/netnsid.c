// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls: NETNSID, the id our network namespace has for another (rtnetlink). */
#include <errno.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "nsls.h"

/* The error an NLMSG_ERROR message NH carries (EPROTO for an ack): -1. */
static int
nlmsg_error(const struct nlmsghdr *nh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);

	errno = nh->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error < 0
			? -e->error
			: EPROTO;
	return -1;
}

/* NETNSA_NSID among the attributes of the RTM_NEWNSID message NH, into
 * *ID.  0, or -1 with errno EPROTO when it has none. */
static int
nsid_attr(const struct nlmsghdr *nh, int32_t *id)
{
	const size_t hdr = NLMSG_SPACE(sizeof(struct rtgenmsg));
	const struct nlattr *a = (const void *)((const char *)nh + hdr);
	size_t rest = nh->nlmsg_len - hdr, step;

	while (rest >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rest) {
		if ((a->nla_type & NLA_TYPE_MASK) == NETNSA_NSID &&
		    a->nla_len >= NLA_HDRLEN + sizeof(*id)) {
			memcpy(id, (const char *)a + NLA_HDRLEN, sizeof(*id));
			return 0;
		}
		step = NLA_ALIGN((size_t)a->nla_len);
		if (step >= rest)
			break;
		rest -= step;
		a = (const void *)((const char *)a + step);
	}
	errno = EPROTO;
	return -1;
}

/*
 * The message with sequence number SEQ among the N bytes of messages at NH
 * (one datagram): 0 with *ID, -1 with errno (the kernel's error, or
 * EPROTO), or 1 when the answer is not in this datagram.
 */
static int
datagram_answer(struct nlmsghdr *nh, ssize_t n, uint32_t seq, int32_t *id)
{
	for (; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_seq != seq)
			continue;
		if (nh->nlmsg_type == NLMSG_ERROR)
			return nlmsg_error(nh);
		if (nh->nlmsg_type != RTM_NEWNSID ||
		    nh->nlmsg_len < NLMSG_SPACE(sizeof(struct rtgenmsg)))
			return 1;
		return nsid_attr(nh, id);
	}
	return 1;
}

/*
 * The answer to RTM_GETNSID: NETNSA_NSID of the message with our sequence
 * number, or the error the kernel sent back.  0 or -1 with errno.
 */
static int
recv_netnsid(int sock, uint32_t seq, int32_t *id)
{
	union {
		struct nlmsghdr nh;
		char buf[8192];
	} ans;
	ssize_t n;
	int r;

	for (;;) {
		n = recv(sock, &ans, sizeof(ans), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		r = datagram_answer(&ans.nh, n, seq, id);
		if (r <= 0)
			return r;
	}
}

/*
 * RTM_GETNSID with NETNSA_FD, on one NETLINK_ROUTE socket for the whole
 * run: the kernel gives the id the socket's network namespace, ours, has
 * for the one NSFD opens (NETNSA_NSID_NOT_ASSIGNED when it has none), as
 * lsns and "ip netns list-id" show.  0 or -1 with errno.
 */
static int
query_netnsid(struct rtnl *s, int nsfd, int32_t *id)
{
	union {
		struct nlmsghdr nh;
		char buf[NLMSG_SPACE(sizeof(struct rtgenmsg)) + NLA_HDRLEN +
			 NLA_ALIGN(sizeof(uint32_t))];
	} req;
	struct nlattr *a;
	uint32_t fd = (uint32_t)nsfd;

	if (s->sock < 0) {
		s->sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				 NETLINK_ROUTE);
		if (s->sock < 0) {
			fail_if_exhausted("cannot open a netlink socket");
			return -1;
		}
	}
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req.buf);
	req.nh.nlmsg_type = RTM_GETNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++s->seq;
	((struct rtgenmsg *)NLMSG_DATA(&req.nh))->rtgen_family = AF_UNSPEC;
	a = (struct nlattr *)(req.buf + NLMSG_SPACE(sizeof(struct rtgenmsg)));
	a->nla_len = NLA_HDRLEN + sizeof(fd);
	a->nla_type = NETNSA_FD;
	memcpy((char *)a + NLA_HDRLEN, &fd, sizeof(fd));
	if (send(s->sock, &req, sizeof(req.buf), 0) < 0)
		return -1;
	return recv_netnsid(s->sock, s->seq, id);
}

/* The id of the network namespace NSFD opens; -1 where none is assigned. */
int32_t
netnsid_of(struct rtnl *rtnl, int nsfd)
{
	int32_t id = NETNSA_NSID_NOT_ASSIGNED;

	if (query_netnsid(rtnl, nsfd, &id) != 0)
		return -1;
	return id;
}
