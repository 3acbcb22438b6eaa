// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btf_file: libbpf's fopen() of the kernel's BTF served from a mapping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "btf_file.h"
#include "test.h"

/* libbpf.a calls these names: the linker's --wrap sends them here */
FILE *__wrap_fopen64(const char *path, const char *mode);
int __wrap_fclose(FILE *f);

static char *write_file(const char *data, size_t len)
{
	char *path = strdup("/tmp/exitsnoop-btf-file-XXXXXX");
	int fd = path ? mkstemp(path) : -1;

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		if (fd >= 0)
			close(fd);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static size_t read_all(FILE *f, char *buf, size_t size)
{
	return fread(buf, 1, size, f);
}

void test_btf_file(void)
{
	static char data[3 * 4096 + 17], got[sizeof(data) + 1];
	char *path, *other;
	FILE *f, *g;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + 3);
	path = write_file(data, sizeof(data));
	other = write_file("other", 5);
	if (!path || !other) {
		ASSERT_TRUE(false, "btf_file_tmp");
		free(path);
		free(other);
		return;
	}
	btf_file_set_path(path);
	f = __wrap_fopen64(path, "rb");
	if (!f) {
		ASSERT_TRUE(false, "btf_file_open");
		return;
	}
	/* what libbpf does: the magic, the size by seeking to the end, then all */
	ASSERT_EQ(read_all(f, got, 2), 2, "btf_file_magic");
	ASSERT_EQ(fseek(f, 0, SEEK_END), 0, "btf_file_seek_end");
	ASSERT_EQ(ftell(f), sizeof(data), "btf_file_size");
	ASSERT_EQ(fseek(f, 0, SEEK_SET), 0, "btf_file_rewind");
	ASSERT_EQ(read_all(f, got, sizeof(got)), sizeof(data), "btf_file_len");
	ASSERT_TRUE(!memcmp(got, data, sizeof(data)), "btf_file_bytes");
	/* a second open while the stream is out: the real fopen */
	g = __wrap_fopen64(path, "r");
	ASSERT_EQ(g ? read_all(g, got, sizeof(got)) : 0, sizeof(data), "btf_file_second");
	ASSERT_EQ(__wrap_fclose(g), 0, "btf_file_second_close");
	ASSERT_EQ(__wrap_fclose(f), 0, "btf_file_close");
	/* after the close it serves again; other files and writers are untouched */
	f = __wrap_fopen64(path, "r");
	ASSERT_EQ(f ? read_all(f, got, 10) : 0, 10, "btf_file_reopen");
	ASSERT_EQ(__wrap_fclose(f), 0, "btf_file_reclose");
	g = __wrap_fopen64(other, "r");
	ASSERT_EQ(g ? read_all(g, got, sizeof(got)) : 0, 5, "btf_file_other");
	__wrap_fclose(g);
	g = __wrap_fopen64(path, "r+");
	ASSERT_TRUE(g && fwrite("x", 1, 1, g) == 1, "btf_file_writer");
	__wrap_fclose(g);
	ASSERT_NULL(__wrap_fopen64("/nonexistent/btf", "r"), "btf_file_missing");
	btf_file_set_path(VMLINUX_BTF_PATH);
	unlink(path);
	unlink(other);
	free(path);
	free(other);
}
