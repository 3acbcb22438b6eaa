/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef __BTF_FILE_H
#define __BTF_FILE_H

#include <stdbool.h>
#include <stdio.h>

#define VMLINUX_BTF_PATH "/sys/kernel/btf/vmlinux"

/* The file whose fopen() for reading is served (tests). */
void btf_file_set_path(const char *path);
/* Serve it by read() even where it could be mapped (EXITSNOOP_FORCE_BTF_READ, tests). */
void btf_file_no_map(bool no_map);

/* What the linker's --wrap sends libbpf's (and everyone's) calls to. */
FILE *__wrap_fopen64(const char *path, const char *mode);
int __wrap_fclose(FILE *f);
void *__wrap_malloc(size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);
void *__wrap_memcpy(void *dst, const void *src, size_t n);

#endif /* __BTF_FILE_H */
