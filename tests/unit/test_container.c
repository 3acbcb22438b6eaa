// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Container IDs and pod UIDs from the cgroup paths runtimes really create. */
#include "record/container.h"
#include "test.h"

#define ID "3f1e0a9c2b7d4e5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"
#define ID2 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "8f2a1c3e-5b7d-4e9f-a1b2-c3d4e5f6a7b8"
#define UID_ "8f2a1c3e_5b7d_4e9f_a1b2_c3d4e5f6a7b8"

static struct container_ids ids;

static void expect(const char *path, const char *id, const char *uid, const char *name)
{
	bool found = container_parse(path, &ids);

	ASSERT_STREQ(ids.container_id, id, name);
	ASSERT_STREQ(ids.pod_uid, uid, name);
	ASSERT_EQ(found, id[0] || uid[0], name);
}

/*
 * Each path is one the runtime's own code makes (cited); those marked
 * "seen here" are what the runtimes Debian 12 ships made on a cgroup v1/v2
 * hybrid host with the cgroupfs driver (tests/e2e/test_runtimes.sh runs
 * them for real).
 */
void test_container_runtimes(void)
{
	/* docker (moby): the systemd driver's "system.slice:docker:<id>" */
	expect("/sys/fs/cgroup/system.slice/docker-" ID ".scope", ID, "", "docker systemd");
	/* docker cgroupfs: cgroup-parent "/docker" + ID; seen here */
	expect("/sys/fs/cgroup/memory/docker/" ID, ID, "", "docker cgroupfs v1");
	expect("/docker/" ID, ID, "", "docker relative");
	/* rootless docker: its systemd --user instance */
	expect("/user.slice/user-1000.slice/user@1000.service/docker-" ID ".scope", ID, "",
	       "rootless docker");
	/* CRI-O: systemd "crio-<id>.scope", cgroupfs "<parent>/crio-<id>" */
	expect("/sys/fs/cgroup/system.slice/crio-" ID ".scope", ID, "", "cri-o");
	expect("/kubepods/besteffort/pod" UID "/crio-" ID, ID, UID, "cri-o cgroupfs");
	/* podman (libpod): systemd "machine.slice:libpod:<id>"; crun's child */
	expect("/machine.slice/libpod-" ID ".scope", ID, "", "podman systemd");
	expect("/sys/fs/cgroup/machine.slice/libpod-" ID ".scope/container", ID, "",
	       "podman's inner cgroup");
	/* podman cgroupfs: CgroupParent "/libpod_parent" + "libpod-<id>"; seen here */
	expect("/libpod_parent/libpod-" ID, ID, "", "podman cgroupfs");
	expect("/sys/fs/cgroup/memory/libpod_parent/libpod-" ID, ID, "", "podman cgroupfs v1 memcg");
	/* podman --cgroups=split (quadlet's default): the payload beside "runtime" */
	expect("/system.slice/web.service/libpod-payload-" ID, ID, "", "podman split");
	expect("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID
	       ".scope", ID, "", "rootless podman");
	expect("/user.slice/user-1000.slice/user@1000.service/app.slice/web.service/libpod-payload-"
	       ID, ID, "", "rootless quadlet");
	/* containerd: the CRI plugin's systemd driver */
	expect("/sys/fs/cgroup/system.slice/cri-containerd-" ID ".scope", ID, "", "containerd");
	/* containerd cgroupfs: "/<namespace>/<id>" (ctr, nerdctl); seen here */
	expect("/default/" ID, ID, "", "ctr in namespace default");
	expect("/k8s.io/" ID, ID, "", "containerd namespace k8s.io");
	expect("/docker/" ID "/docker/" ID2, ID2, "", "innermost of nested containers");
}

/* conmon watches a container from outside it. */
void test_container_conmon_is_not_in_it(void)
{
	/* podman systemd: "libpod-conmon-<id>.scope" beside "libpod-<id>.scope" */
	expect("/machine.slice/libpod-conmon-" ID ".scope", "", "", "podman's conmon scope");
	/* podman cgroupfs: "<parent>/conmon"; seen here in the v1 hierarchies */
	expect("/sys/fs/cgroup/memory/libpod_parent/conmon", "", "", "podman's conmon cgroupfs");
	/* in a pod the parent is the pod's cgroup, named by its 64-hex ID */
	expect("/libpod_parent/" ID2 "/conmon", "", "", "conmon of a pod's container");
	expect("/libpod_parent/" ID2 "/libpod-" ID, ID, "", "a pod's container");
	/* CRI-O: "crio-conmon-<id>.scope" or cgroupfs "crio-conmon-<id>" */
	expect("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID ".scope", "", UID,
	       "cri-o's conmon, systemd");
	expect("/kubepods/pod" UID "/crio-conmon-" ID, "", UID, "cri-o's conmon, cgroupfs");
	/* --cgroups=split: conmon in "runtime" beside the payload */
	expect("/system.slice/web.service/runtime", "", "", "podman split's runtime");
}

void test_container_kubernetes(void)
{
	expect("/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	       ".slice/cri-containerd-" ID ".scope", ID, UID, "systemd driver, burstable");
	expect("/sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	       UID_ ".slice/crio-" ID ".scope", ID, UID, "systemd driver, besteffort, cri-o");
	expect("/sys/fs/cgroup/kubepods.slice/kubepods-pod" UID_ ".slice/docker-" ID ".scope", ID,
	       UID, "systemd driver, guaranteed");
	expect("/sys/fs/cgroup/kubepods/burstable/pod" UID "/" ID, ID, UID, "cgroupfs driver");
	expect("/sys/fs/cgroup/memory/kubepods/pod" UID "/" ID, ID, UID, "cgroupfs v1, guaranteed");
	expect("/sys/fs/cgroup/kubepods/besteffort/pod" UID, "", UID, "the pod's own cgroup");
	expect("/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	       ".slice", "", UID, "the pod's own slice");
	expect("/sys/fs/cgroup/system.slice/containerd.service/kubepods-burstable-pod" UID_
	       ".slice:cri-containerd:" ID, ID, UID, "k3s's colon form");
}

void test_container_not_containers(void)
{
	expect("", "", "", "empty");
	expect("/", "", "", "root");
	expect("/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope", "", "", "a login");
	expect("/sys/fs/cgroup/system.slice/docker.service", "", "", "the daemon itself");
	expect("/sys/fs/cgroup/exitsnoop-oom-1234", "", "", "a plain memcg");
	expect("/sys/fs/cgroup/docker/" ID "0", "", "", "65 hex digits");
	expect("/sys/fs/cgroup/docker/3F1E0A9C2B7D4E5F6A8B9C0D1E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F",
	       "", "", "upper case is no runtime's");
	expect("/sys/fs/cgroup/system.slice/docker-" ID ".service", "", "", "not a scope");
	expect("/sys/fs/cgroup/system.slice/rkt-" ID ".scope", "", "", "unknown runtime prefix");
	expect("/sys/fs/cgroup/system.slice/docker-" ID, "", "", "docker- without .scope");
	expect("/sys/fs/cgroup/libpod_parent/libpod-" ID ".service", "", "", "libpod- and a unit type");
	expect("/sys/fs/cgroup/libpod_parent/libpod-" ID "0", "", "", "libpod- and 65 hex digits");
	expect("/sys/fs/cgroup/libpod_parent/libpod-payload-" ID ".scope", "", "",
	       "libpod-payload- is never a scope");
	expect("/sys/fs/cgroup/pod" UID "/x", "", "", "pod dir outside kubepods");
	expect("/sys/fs/cgroup/kubepods/pod" UID_ "/x", "", "", "underscores only in slices");
	expect("/sys/fs/cgroup/kubepods.slice/kubepods-pod" UID ".slice", "", "",
	       "dashes would be slice separators");
	expect("/sys/fs/cgroup/kubepods.slice/kubepods-pod8f2a1c3e_5b7d.slice", "", "",
	       "short uid");
	expect("/kubepods/burstable/pod" UID "/" ID "/../x", ID, UID, "junk after is ignored");
}
