/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef __BTF_FILE_H
#define __BTF_FILE_H

#define VMLINUX_BTF_PATH "/sys/kernel/btf/vmlinux"

/* The file whose fopen() for reading is served from a mapping (tests). */
void btf_file_set_path(const char *path);

#endif /* __BTF_FILE_H */
