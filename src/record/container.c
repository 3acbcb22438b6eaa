// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Container ID and pod UID from a cgroup path: see container.h. */
#include <string.h>
#include "record/container.h"

/* Systemd-driver scope names of the runtimes, before the ID. */
static const char *const scope_prefixes[] = {
	"docker-", "cri-containerd-", "crio-", "libpod-",
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

/* A component (s, len) that names a container: copies its ID. */
static bool component_container(const char *s, size_t len, char *id)
{
	size_t i, plen;

	if (len == CONTAINER_ID_LEN && all_hex(s, len))
		goto found;
	for (i = 0; i < sizeof(scope_prefixes) / sizeof(scope_prefixes[0]); i++) {
		plen = strlen(scope_prefixes[i]);
		if (len != plen + CONTAINER_ID_LEN + strlen(".scope") ||
		    strncmp(s, scope_prefixes[i], plen) ||
		    strncmp(s + len - strlen(".scope"), ".scope", strlen(".scope")) ||
		    !all_hex(s + plen, CONTAINER_ID_LEN))
			continue;
		s += plen;
		goto found;
	}
	return false;
found:
	memcpy(id, s, CONTAINER_ID_LEN);
	id[CONTAINER_ID_LEN] = '\0';
	return true;
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
