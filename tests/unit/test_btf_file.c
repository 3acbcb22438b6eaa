// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btf_file: libbpf's fopen() of the kernel's BTF served from a mapping. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "load/btf_file.h"
#include "test.h"

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

/*
 * libbpf 1.1's btf_parse_raw() and btf_new(), call for call: both buffers
 * of the file's size are the mapping, and neither copy copies.
 */
static void test_loans(const char *path, const char *data, size_t len)
{
	char magic[2], *early, *buf, *raw, *third, *other;
	FILE *f = __wrap_fopen64(path, "rbe");

	if (!f) {
		ASSERT_TRUE(false, "btf_loan_open");
		return;
	}
	ASSERT_EQ(fread(magic, 1, 2, f), 2, "btf_loan_magic");
	early = __wrap_malloc(len); /* not rewound: not libbpf's read */
	ASSERT_TRUE(early != NULL, "btf_loan_early");
	fseek(f, 0, SEEK_END);
	ASSERT_EQ(ftell(f), len, "btf_loan_size");
	fseek(f, 0, SEEK_SET);
	buf = __wrap_malloc(len);
	ASSERT_TRUE(buf && buf != early, "btf_loan_first");
	third = __wrap_malloc(len); /* the read has not reached the end */
	ASSERT_TRUE(third && third != buf, "btf_loan_unread");
	__wrap_free(third);
	ASSERT_EQ(buf ? fread(buf, 1, len, f) : 0, len, "btf_loan_read");
	raw = __wrap_malloc(len);
	ASSERT_TRUE(raw && raw == buf, "btf_loan_same");
	third = __wrap_malloc(len); /* two loans at most: a third is the heap's */
	ASSERT_TRUE(third && third != buf, "btf_loan_third");
	other = __wrap_malloc(len - 1);
	ASSERT_TRUE(other && other != buf, "btf_loan_other_size");
	ASSERT_TRUE(__wrap_memcpy(raw, buf, len) == raw, "btf_loan_memcpy");
	__wrap_free(buf);
	__wrap_fclose(f);
	/* one loan out: the mapping stays until it is back */
	ASSERT_TRUE(raw && !memcmp(raw, data, len), "btf_loan_bytes");
	__wrap_free(raw);
	__wrap_free(third);
	__wrap_free(other);
	__wrap_free(early);
	/* no stream open: a malloc of that size is the heap's */
	buf = __wrap_malloc(len);
	ASSERT_TRUE(buf != NULL, "btf_loan_closed");
	if (buf)
		buf[len - 1] = 1; /* writable */
	__wrap_free(buf);
}

/* the lent mapping comes back through realloc() as heap memory */
static void test_loan_realloc(const char *path, const char *data, size_t len)
{
	FILE *f = __wrap_fopen64(path, "r");
	char *buf = f ? __wrap_malloc(len) : NULL;

	__wrap_fclose(f);
	buf = buf ? __wrap_realloc(buf, len + 1) : NULL;
	ASSERT_TRUE(buf && !memcmp(buf, data, len), "btf_loan_realloc");
	if (buf)
		buf[len] = 0;
	__wrap_free(buf);
}

/* no_map: the read path, as on kernels that cannot map the file */
static void check_btf_file(bool no_map)
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
	btf_file_no_map(no_map);
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
	test_loans(path, data, sizeof(data));
	test_loan_realloc(path, data, sizeof(data));
	g = __wrap_fopen64(path, "r+"); /* last: it writes */
	ASSERT_TRUE(g && fwrite("x", 1, 1, g) == 1, "btf_file_writer");
	__wrap_fclose(g);
	ASSERT_NULL(__wrap_fopen64("/nonexistent/btf", "r"), "btf_file_missing");
	btf_file_set_path(VMLINUX_BTF_PATH);
	btf_file_no_map(false);
	unlink(path);
	unlink(other);
	free(path);
	free(other);
}

void test_btf_file(void)
{
	check_btf_file(false);
}

void test_btf_file_read(void)
{
	check_btf_file(true);
}
