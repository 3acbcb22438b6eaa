/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where it crashed: the mappings of a fault's IP and address, made from
 * the raw struct exit_crash for the sinks.
 */
#ifndef __CRASH_H
#define __CRASH_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/exitsnoop.h"

/* 20 bytes of GNU build ID as hex, and its NUL. */
#define BUILD_ID_HEX_LEN 41

/* A mapping: what is known of it. present false: nothing is. */
struct crash_map {
	bool present;
	const char *path;	/* absolute; NULL if unknown */
	bool has_offset;
	uint64_t offset;	/* the address's offset in the file */
	const char *build_id;	/* hex; NULL if unknown */
	char build_id_buf[BUILD_ID_HEX_LEN];
	/* the fault address's: "file", "heap" or "anon" (memory not from a file); NULL for the IP's */
	const char *kind;
};

/* The IP's mapping. */
void crash_ip_map(const struct exit_crash *c, struct crash_map *m);

/*
 * The fault address's mapping, for the address addr: the IP's, or where
 * the exit hook could look it up, its own (crash.bpf.h, addr_map.bpf.h).
 */
void crash_addr_map(const struct exit_crash *c, uint64_t addr, struct crash_map *m);

/* The build ID as hex, its trailing zero padding cut (8, 16 or 20 bytes). */
void build_id_hex(const uint8_t *id, char out[BUILD_ID_HEX_LEN]);

/* The file's name: what follows the path's last '/'. */
const char *crash_basename(const char *path);

#endif /* __CRASH_H */
