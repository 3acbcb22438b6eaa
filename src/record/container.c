// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Container ID and pod UID from a cgroup path: see container.h. */
#include <string.h>
#include "record/container.h"

/*
 * The names runtimes give a container's cgroup: a prefix, the 64-hex ID,
 * a suffix. A systemd cgroup driver is handed "<slice>:<prefix>:<id>" and
 * makes the unit "<prefix>-<id>.scope" of it (runc's and crun's systemd
 * drivers); a cgroupfs driver uses the path the engine hands it as is.
 */
static const struct {
	const char *prefix, *suffix;
} id_forms[] = {
	/* cgroupfs: docker's /docker/<id>, containerd's /<namespace>/<id> (ctr,
	 * nerdctl), the kubelet's /kubepods/<qos>/pod<uid>/<id>, k3s's
	 * "...slice:cri-containerd:<id>" once split at ':' */
	{ "", "" },
	/* systemd driver: docker's "system.slice:docker:<id>" */
	{ "docker-", ".scope" },
	/* systemd driver: containerd's CRI plugin, "...slice:cri-containerd:<id>" */
	{ "cri-containerd-", ".scope" },
	/* CRI-O: systemd "crio-<id>.scope", cgroupfs "<parent>/crio-<id>" */
	{ "crio-", ".scope" },
	{ "crio-", "" },
	/* podman (libpod): systemd "libpod-<id>.scope" (cgroup v2 adds a
	 * "container" child inside it), cgroupfs "/libpod_parent/libpod-<id>",
	 * --cgroups=split (quadlet's default) "<unit>/libpod-payload-<id>" */
	{ "libpod-", ".scope" },
	{ "libpod-", "" },
	{ "libpod-payload-", "" },
};

static bool is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!is_lower_hex(s[i]))
			return false;
	}
	return true;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !strncmp(s, prefix, n);
}

/* A component (s, len) that names a container: copies its ID. */
static bool component_container(const char *s, size_t len, char *id)
{
	size_t i, plen, slen;

	for (i = 0; i < sizeof(id_forms) / sizeof(id_forms[0]); i++) {
		plen = strlen(id_forms[i].prefix);
		slen = strlen(id_forms[i].suffix);
		if (len != plen + CONTAINER_ID_LEN + slen ||
		    strncmp(s, id_forms[i].prefix, plen) ||
		    strncmp(s + len - slen, id_forms[i].suffix, slen) ||
		    !all_hex(s + plen, CONTAINER_ID_LEN))
			continue;
		memcpy(id, s + plen, CONTAINER_ID_LEN);
		id[CONTAINER_ID_LEN] = '\0';
		return true;
	}
	return false;
}

/*
 * conmon, the monitor podman and CRI-O start beside each container, is
 * not in it: systemd "libpod-conmon-<id>.scope", CRI-O "crio-conmon-<id>",
 * and podman's cgroupfs "<parent>/conmon", which for a pod is
 * "/libpod_parent/<pod id>/conmon" (a pod's ID has the container form).
 */
static bool component_conmon(const char *s, size_t len)
{
	return (len == 6 && !strncmp(s, "conmon", 6)) || starts_with(s, len, "libpod-conmon-") ||
	       starts_with(s, len, "crio-conmon-");
}

/* A UID in 8-4-4-4-12 form, with sep ('-' or '_') between the groups. */
static bool copy_uid(const char *s, char sep, char *uid)
{
	char tmp[POD_UID_LEN + 1];
	size_t i;

	for (i = 0; i < POD_UID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != sep : !is_lower_hex(s[i]))
			return false;
		tmp[i] = dash ? '-' : s[i];
	}
	tmp[POD_UID_LEN] = '\0';
	memcpy(uid, tmp, sizeof(tmp));
	return true;
}

/* kubepods[-besteffort|-burstable]-pod<uid with _>.slice */
static bool component_pod_slice(const char *s, size_t len, char *uid)
{
	const char *p;

	if (len < strlen("kubepods-pod.slice") + POD_UID_LEN || strncmp(s, "kubepods", 8) ||
	    strncmp(s + len - 6, ".slice", 6))
		return false;
	p = s + len - 6 - POD_UID_LEN - 3;
	if (strncmp(p, "pod", 3) || p[-1] != '-')
		return false;
	return copy_uid(p + 3, '_', uid);
}

/* pod<uid>, the cgroupfs driver's pod directory */
static bool component_pod_dir(const char *s, size_t len, char *uid)
{
	if (len != 3 + POD_UID_LEN || strncmp(s, "pod", 3))
		return false;
	return copy_uid(s + 3, '-', uid);
}

/* One name; later (inner) names overwrite what earlier ones found. */
static void parse_name(const char *s, size_t len, struct container_ids *ids,
		       bool *below_kubepods)
{
	if (component_conmon(s, len))
		ids->container_id[0] = '\0';
	else
		component_container(s, len, ids->container_id);
	if (component_pod_slice(s, len, ids->pod_uid))
		*below_kubepods = true;
	else if (*below_kubepods)
		component_pod_dir(s, len, ids->pod_uid);
	if (len == 8 && !strncmp(s, "kubepods", 8))
		*below_kubepods = true;
}

/*
 * Components split at '/'; each also at ':', for the
 * "<slice>:cri-containerd:<id>" names containerd's systemd driver leaves
 * when it runs under another service's cgroup (k3s).
 */
bool container_parse(const char *path, struct container_ids *ids)
{
	bool below_kubepods = false;
	const char *s = path;
	size_t len;

	memset(ids, 0, sizeof(*ids));
	for (;;) {
		len = strcspn(s, "/:");
		if (len)
			parse_name(s, len, ids, &below_kubepods);
		if (!s[len])
			break;
		s += len + 1;
	}
	return ids->container_id[0] || ids->pod_uid[0];
}
