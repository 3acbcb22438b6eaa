# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# exitsnoop: clang -> two BPF objects from one source (tp_btf, raw_tp) ->
# bpftool skeletons: a light one (libbpf records the object's load as a
# loader program the kernel runs, v5.17+) and regular ones (CO-RE in user
# space through libbpf, linked statically, for older kernels) -> one
# static binary. `make V=1` shows the commands; OUTPUT= moves the build
# directory; STATIC=0 links dynamically.

OUTPUT ?= .output
BIN ?= exitsnoop
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
PKG_CONFIG ?= pkg-config
prefix ?= /usr/local
sbindir ?= $(prefix)/sbin
mandir ?= $(prefix)/share/man
# systemd reads /usr/local/lib/systemd/system too; the package uses /lib.
unitdir ?= $(prefix)/lib/systemd/system

# `make deps ...` installs what is missing while this file is read, so that
# the rest of the same make sees it (musl-gcc decides LIBC below).
ifneq ($(filter deps,$(MAKECMDGOALS)),)
DEPS_OUT := $(shell scripts/install-deps.sh $(ARCH) >&2)
ifneq ($(.SHELLSTATUS),0)
$(error installing the build dependencies failed)
endif
endif

VERSION := $(shell cat VERSION)
ARCH := $(shell uname -m | sed 's/x86_64/x86/' | sed 's/aarch64/arm64/' \
	| sed 's/ppc64le/powerpc/' | sed 's/mips.*/mips/' | sed 's/riscv64/riscv/' \
	| sed 's/loongarch64/loongarch/' | sed 's/s390x/s390/')

# Cross-building, e.g. `make deps ARCH=arm64 && make ARCH=arm64` on x86-64:
# Debian's cross gcc, the target's libraries, UAPI headers and pkg-config
# data from its multiarch packages, musl where musl-dev of that
# architecture is installed (else glibc, static), and a build directory of
# its own. CROSS_COMPILE=<triplet>- names any other toolchain.
CROSS_arm64_x86_64 := aarch64-linux-gnu-
CROSS_COMPILE ?= $(CROSS_$(ARCH)_$(shell uname -m))
ifneq ($(CROSS_COMPILE),)
CROSS_TRIPLET := $(patsubst %-,%,$(CROSS_COMPILE))
CROSS_MUSL_SPECS := /usr/lib/$(subst -gnu,-musl,$(CROSS_TRIPLET))/musl-gcc.specs
ifeq ($(origin OUTPUT),file)
OUTPUT := .output-$(ARCH)
endif
LIBC ?= $(if $(wildcard $(CROSS_MUSL_SPECS)),musl,glibc)
CC := $(CROSS_COMPILE)gcc$(if $(filter musl,$(LIBC)), -specs $(CROSS_MUSL_SPECS))
MULTIARCH := $(CROSS_TRIPLET)
PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS_TRIPLET)/pkgconfig:/usr/share/pkgconfig pkg-config
CLANG_BPF_SYS_INCLUDES ?= -idirafter /usr/include/$(CROSS_TRIPLET) -idirafter /usr/include
endif
# ./$(BIN) of another architecture is relinked: each has its own objects.
ARCH_STAMP := $(dir $(BIN)).$(notdir $(BIN)).arch
$(shell echo $(ARCH) | cmp -s - $(ARCH_STAMP) || { rm -f $(BIN); echo $(ARCH) > $(ARCH_STAMP); })

# libbpf: its headers for both sides; the library, static, for the fallback loader.
LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
LIBBPF_LIBDIR := $(or $(shell $(PKG_CONFIG) --variable=libdir libbpf 2>/dev/null),/usr/lib)
# Static by default: fewer pages resident and no dynamic linking at start.
STATIC ?= 1
HOSTCC ?= cc

# The C library: musl where its gcc wrapper is installed (`make deps` does),
# for a binary whose resident set is a fraction of glibc's; else glibc.
# LIBC=glibc or LIBC=musl chooses. musl-gcc leaves out /usr/include, so the
# kernel's UAPI and libbpf's headers are handed to it by links.
LIBC ?= $(if $(shell command -v musl-gcc 2>/dev/null),musl,glibc)
ifeq ($(SANITIZE),1)
LIBC := glibc
endif
ifeq ($(LIBC),musl)
ifeq ($(origin CC),default)
CC := musl-gcc
endif
MUSL_INC := $(OUTPUT)/musl-include
LIBC_CFLAGS := -idirafter $(MUSL_INC)
MULTIARCH ?= $(shell $(HOSTCC) -print-multiarch 2>/dev/null)
LIBBPF_INCDIR := $(or $(shell $(PKG_CONFIG) --variable=includedir libbpf 2>/dev/null),/usr/include)
endif

# Debian keeps asm/types.h in the multiarch include directory: hand clang
# its own system include path so that <linux/types.h> resolves for -target bpf.
CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 \
	| sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Werror
CFLAGS ?= -O2 -g
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
STATIC := 0
endif
ifeq ($(STATIC),1)
APP_LDFLAGS := -static
# by path: musl-gcc does not search the system's library directory
APP_LIBS := $(LIBBPF_LIBDIR)/libbpf.a $(LIBBPF_LIBDIR)/libelf.a $(LIBBPF_LIBDIR)/libz.a
else
APP_LIBS := $(shell $(PKG_CONFIG) --libs --static libbpf)
endif
ALL_CFLAGS := -std=gnu11 $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) $(LIBC_CFLAGS) $(LIBBPF_CFLAGS) \
	-I$(OUTPUT) -Isrc -DEXITSNOOP_VERSION='"$(VERSION)"' -MMD -MP
# libbpf's read of the kernel's BTF goes through btf_file.c (zero-copy where mappable)
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS) -Wl,--wrap=fopen64,--wrap=fclose,--wrap=malloc,--wrap=realloc,--wrap=free,--wrap=memcpy

# The sources, folder by folder (src/README.md: the layers and their rules).
# Every module but main.c is linked into the unit tests too.
SRC_DIRS := lib record load output metrics run
APP_SRCS := $(foreach d,$(SRC_DIRS),$(wildcard src/$(d)/*.c))
# Debian's libbpf.a and libelf.a are built against glibc: the few glibc-only
# symbols they use, for musl.
ifneq ($(LIBC),musl)
APP_SRCS := $(filter-out src/load/glibc_compat.c,$(APP_SRCS))
endif
APP_OBJS := $(patsubst src/%.c,$(OUTPUT)/%.o,$(APP_SRCS))
CORE_OBJS := $(filter-out $(OUTPUT)/run/main.o,$(APP_OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c) tests/unit/run_unit.c
UNIT_OBJS := $(patsubst tests/unit/%.c,$(OUTPUT)/unit/%.o,$(UNIT_SRCS))

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all clean install uninstall test unit e2e lint deps depstest soak bench vmtest servicetest deb
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BIN)

$(BIN): $(APP_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $(APP_LDFLAGS) $^ $(APP_LIBS) -o $@

$(OUTPUT) $(OUTPUT)/unit:
	$(Q)mkdir -p $@

$(OUTPUT)/musl-include: | $(OUTPUT)
	$(call msg,LN,$@)
	$(Q)mkdir -p $@.tmp && \
	ln -sfn /usr/include/linux $@.tmp/linux && \
	ln -sfn /usr/include/asm-generic $@.tmp/asm-generic && \
	ln -sfn $(firstword $(wildcard /usr/include/$(MULTIARCH)/asm /usr/include/asm)) $@.tmp/asm && \
	ln -sfn $(LIBBPF_INCDIR)/bpf $@.tmp/bpf && \
	mv $@.tmp $@

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	$(LIBBPF_CFLAGS) -Isrc $(CLANG_BPF_SYS_INCLUDES) -MMD -MP

# One source, two objects: BTF-typed tracepoints, and raw ones for kernels without.
$(OUTPUT)/exitsnoop.tmp.bpf.o: src/bpf/exitsnoop.bpf.c | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/exitsnoop_raw.tmp.bpf.o: src/bpf/exitsnoop.bpf.c | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DEXITSNOOP_RAW_TP -c $< -o $@

$(OUTPUT)/%.bpf.o: $(OUTPUT)/%.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUTPUT)/exitsnoop.lskel.h: $(OUTPUT)/exitsnoop.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton -L $< name exitsnoop_lskel > $@

$(OUTPUT)/exitsnoop.skel.h: $(OUTPUT)/exitsnoop.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name exitsnoop_tpbtf > $@

$(OUTPUT)/exitsnoop_raw.skel.h: $(OUTPUT)/exitsnoop_raw.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name exitsnoop_rawtp > $@

$(OUTPUT)/load/loader_light.o: $(OUTPUT)/exitsnoop.lskel.h
$(OUTPUT)/load/loader_libbpf.o: $(OUTPUT)/exitsnoop.skel.h $(OUTPUT)/exitsnoop_raw.skel.h

$(OUTPUT)/%.o: src/%.c | $(OUTPUT) $(MUSL_INC)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/unit/%.o: tests/unit/%.c | $(OUTPUT)/unit $(MUSL_INC)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

tests/unit/run_unit: $(UNIT_OBJS) $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(APP_LIBS) -o $@

tests/e2e/%: tests/e2e/%.c
	$(call msg,CC,$@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Werror $< -o $@ -lpthread -ldl

E2E_HELPERS := tests/e2e/victim tests/e2e/burst tests/e2e/costly

# Installs whatever Debian packages the build and the tests need (done
# above, while the Makefile is read).
deps:
	@:

# make deps ARCH=arm64 against a made-up machine older than the archive
# (apt-get -s: nothing is installed).
depstest:
	$(Q)tests/deps_skew.sh

# shellcheck on the scripts, gcc -fanalyzer on the C (skeletons needed).
lint: $(OUTPUT)/exitsnoop.lskel.h $(OUTPUT)/exitsnoop.skel.h $(OUTPUT)/exitsnoop_raw.skel.h
	$(Q)OUTPUT=$(OUTPUT) HOSTCC=$(HOSTCC) tests/lint.sh

unit: tests/unit/run_unit
	$(Q)tests/unit/run_unit

e2e: exitsnoop $(E2E_HELPERS)
	$(Q)tests/e2e/run.sh

# The whole suite; the last line is "N passed, N failed, N skipped".
test: exitsnoop tests/unit/run_unit $(E2E_HELPERS)
	$(Q)OUTPUT=$(OUTPUT) HOSTCC=$(HOSTCC) tests/run.sh

# A sanitized build of its own, so that ./exitsnoop stays as it was.
soak: $(E2E_HELPERS)
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 OUTPUT=.output-asan BIN=exitsnoop-asan
	$(Q)tests/soak.sh ./exitsnoop-asan

# Every mode and kernel path against libbpf-tools; then -- CMD's cost
# while an unrelated fork storm runs (bench/scope.sh), time to ready, and
# a stop's time with a stalled reader (bench/stall.sh).
bench: exitsnoop
	$(Q)bench/run.sh
	$(Q)bench/scope.sh
	$(Q)bench/ready.sh
	$(Q)bench/stall.sh

# The same binaries on other kernels under qemu, one boot each: Debian's
# 5.10, 6.1 and 6.12 on x86-64 and 6.1 on arm64 (tests/vm/matrix.sh), or
# only the kernel VMLINUZ names, for ARCH.
vmtest: exitsnoop
ifeq ($(VMLINUZ),)
	$(Q)scripts/install-deps.sh arm64 >&2
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 BIN=exitsnoop-arm64
	$(Q)tests/vm/matrix.sh
else
	$(Q)tests/vm/run.sh --arch $(ARCH) $(VMLINUZ)
endif

# The Debian package's unit under a real systemd (PID 1), in Debian 12
# (6.1) and Debian 11 (5.10) guests under qemu built by mmdebstrap
# (tests/service/run.sh; SERVICE_CACHE keeps them). Slow: not in `test`.
servicetest: deb
	$(Q)tests/service/run.sh $(DEBDIR)/exitsnoop_$(VERSION)_$(DEB_ARCH).deb

# The unit's ExecStart names where the binary went.
UNIT_SED = 's|^ExecStart=/usr/local/sbin/exitsnoop |ExecStart=$(1) |'

install: exitsnoop
	install -D -m 0755 exitsnoop $(DESTDIR)$(sbindir)/exitsnoop
	install -D -m 0644 man/exitsnoop.8 $(DESTDIR)$(mandir)/man8/exitsnoop.8
	install -d $(DESTDIR)$(unitdir)
	sed $(call UNIT_SED,$(sbindir)/exitsnoop) contrib/systemd/exitsnoop.service \
		> $(DESTDIR)$(unitdir)/exitsnoop.service

uninstall:
	rm -f $(DESTDIR)$(sbindir)/exitsnoop $(DESTDIR)$(mandir)/man8/exitsnoop.8 \
		$(DESTDIR)$(unitdir)/exitsnoop.service

# exitsnoop_VERSION_DEBARCH.deb of $(BIN) for ARCH (x86 -> amd64, arm64:
# `make deb ARCH=arm64` cross-builds first).
DEB_ARCH_x86 := amd64
DEB_ARCH_arm64 := arm64
DEB_ARCH ?= $(DEB_ARCH_$(ARCH))
DEBDIR ?= .
# A static binary embeds its libraries: name their sources in Built-Using.
DEB_STATIC_PKGS := libbpf-dev libelf-dev zlib1g-dev $(if $(filter musl,$(LIBC)),musl-dev)
DEB_BUILT_USING = $(shell for p in $(DEB_STATIC_PKGS); do dpkg-query -W \
	-f='$${source:Package} (= $${source:Version})\n' $$p:$(DEB_ARCH) 2>/dev/null; done | \
	sort -u | paste -sd, | sed 's/,/, /g')

deb: $(BIN)
	$(if $(DEB_ARCH),,$(error make deb: no Debian architecture for ARCH=$(ARCH)))
	$(call msg,DEB,$(DEBDIR)/exitsnoop_$(VERSION)_$(DEB_ARCH).deb)
	$(Q)BUILT_USING='$(DEB_BUILT_USING)' STRIP=$(CROSS_COMPILE)strip \
		scripts/mkdeb.sh $(BIN) $(VERSION) $(DEB_ARCH) $(DEBDIR) > /dev/null

clean:
	$(call msg,CLEAN)
	$(Q)rm -rf $(OUTPUT) .output-asan exitsnoop exitsnoop-asan tests/unit/run_unit $(E2E_HELPERS) bench/bin \
		.output-arm64 .output-x86 exitsnoop-arm64 .*.arch exitsnoop_*.deb

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/*/*.d)
