// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The metrics file is replaced whole and leaves nothing else behind. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "metrics/metrics_file.h"
#include "test.h"

static char dir[] = "/tmp/exitsnoop-unit.XXXXXX";

/* The directory's entries, sorted, space separated. */
static const char *entries(void)
{
	static char list[1024];
	struct dirent **names;
	int i, n;

	list[0] = '\0';
	n = scandir(dir, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			strcat(list, list[0] ? " " : "");
			strcat(list, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return list;
}

static const char *contents(const char *name)
{
	static char text[256];
	char path[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text[0] = '\0';
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

void test_metrics_file_replace(void)
{
	struct metrics_file mf;
	char path[512], err[256];
	struct stat st;

	if (!ASSERT_TRUE(mkdtemp(dir), "mkdtemp"))
		return;
	snprintf(path, sizeof(path), "%s/exitsnoop.prom", dir);
	ASSERT_EQ(metrics_file_open(&mf, path, err, sizeof(err)), 0, "open");
	ASSERT_EQ(metrics_file_write(&mf, "a 1\n", 4), 0, "first write");
	ASSERT_STREQ(entries(), "exitsnoop.prom", "only the file");
	ASSERT_STREQ(contents("exitsnoop.prom"), "a 1\n", "first contents");
	ASSERT_EQ(metrics_file_write(&mf, "a 22\n", 5), 0, "second write");
	ASSERT_STREQ(contents("exitsnoop.prom"), "a 22\n", "replaced");
	ASSERT_STREQ(entries(), "exitsnoop.prom", "still only the file");
	ASSERT_TRUE(!stat(path, &st) && (st.st_mode & 0644) == 0644, "readable by node_exporter");

	/* a file someone made at a temporary-looking name is never written nor renamed */
	fclose(fopen(strcat(strcpy(err, dir), "/.exitsnoop.prom.tmp"), "w"));
	ASSERT_EQ(metrics_file_write(&mf, "a 3\n", 4), 0, "beside a planted file");
	ASSERT_STREQ(entries(), ".exitsnoop.prom.tmp exitsnoop.prom", "planted file left alone");
	ASSERT_STREQ(contents(".exitsnoop.prom.tmp"), "", "planted file untouched");
	ASSERT_STREQ(contents("exitsnoop.prom"), "a 3\n", "written");
	unlink(err);
	metrics_file_close(&mf);
	unlink(path);

	/* the rename fails: a directory where the file should be */
	mkdir(path, 0755);
	ASSERT_EQ(metrics_file_open(&mf, path, err, sizeof(err)), 0, "open over a directory");
	ASSERT_EQ(metrics_file_write(&mf, "a 1\n", 4), -EISDIR, "rename fails");
	ASSERT_STREQ(entries(), "exitsnoop.prom", "no temporary left after a failure");
	metrics_file_close(&mf);
	rmdir(path);
	rmdir(dir);
}

void test_metrics_file_bad_paths(void)
{
	struct metrics_file mf;
	char err[256];

	ASSERT_EQ(metrics_file_open(&mf, "/nonexistent-dir/x.prom", err, sizeof(err)), -ENOENT,
		  "missing directory");
	ASSERT_STREQ(err, "--metrics-file '/nonexistent-dir/x.prom': No such file or directory",
		     "one-line reason");
	ASSERT_EQ(metrics_file_open(&mf, "/tmp/", err, sizeof(err)), -EISDIR, "no file name");
	ASSERT_EQ(metrics_file_open(&mf, "/nonexistent-dir/\x1b[2Jx", err, sizeof(err)), -ENOENT,
		  "hostile path");
	ASSERT_STREQ(err, "--metrics-file '/nonexistent-dir/\\x1b[2Jx': No such file or directory",
		     "escaped in the message");
	ASSERT_EQ(metrics_file_open(&mf, "/tmp/..", err, sizeof(err)), -EISDIR, "dot-dot");
	ASSERT_EQ(metrics_file_open(&mf, "x.prom", err, sizeof(err)), 0, "relative: cwd");
	metrics_file_close(&mf);
}
