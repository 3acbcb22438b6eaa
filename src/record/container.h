/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Container and Kubernetes pod identity from a cgroup path, as container
 * runtimes and the kubelet name their cgroups. Pure string work: no file
 * system access, so any path (v1 or v2, mounted anywhere) can be parsed.
 */
#ifndef __CONTAINER_H
#define __CONTAINER_H

#include <stdbool.h>

#define CONTAINER_ID_LEN 64	/* hex digits of a Docker/OCI container ID */
#define POD_UID_LEN 36		/* 8-4-4-4-12, the UUID form */

struct container_ids {
	char container_id[CONTAINER_ID_LEN + 1];	/* "" when not found */
	char pod_uid[POD_UID_LEN + 1];			/* "" when not found */
};

/*
 * Fills ids from path. The container ID is the innermost component that
 * names one: `docker-<id>.scope`, `cri-containerd-<id>.scope`,
 * `crio-<id>.scope`, `libpod-<id>.scope` (systemd cgroup driver; podman's
 * `container` child inside it is still that container), `libpod-<id>`,
 * `libpod-payload-<id>`, `crio-<id>` or a bare `<id>` (cgroupfs driver:
 * /docker/<id>, /<containerd namespace>/<id>, /kubepods/.../<id>). A
 * conmon component (`conmon`, `libpod-conmon-...`, `crio-conmon-...`)
 * forgets an ID found above it: conmon is not in the container. The pod
 * UID comes from `kubepods[-<qos>]-pod<uid>.slice` (underscores back to
 * dashes) or a `pod<uid>` component below a `kubepods` one. Returns
 * whether either was found.
 */
bool container_parse(const char *path, struct container_ids *ids);

#endif /* __CONTAINER_H */
