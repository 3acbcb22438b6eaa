# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# exitsnoop: clang -> BPF object -> bpftool light skeleton (libbpf records
# the object's load as a loader program the kernel runs) -> user-space binary
# that needs only libc. `make V=1` shows the commands; OUTPUT= moves the build
# directory; STATIC=0 links libc dynamically.

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
DEPS_OUT := $(shell scripts/install-deps.sh >&2)
ifneq ($(.SHELLSTATUS),0)
$(error installing the build dependencies failed)
endif
endif

VERSION := $(shell cat VERSION)
ARCH := $(shell uname -m | sed 's/x86_64/x86/' | sed 's/aarch64/arm64/' \
	| sed 's/ppc64le/powerpc/' | sed 's/mips.*/mips/' | sed 's/riscv64/riscv/' \
	| sed 's/loongarch64/loongarch/' | sed 's/s390x/s390/')

# libbpf's headers only: the BPF side's helpers and the light skeleton's base.
LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
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
MULTIARCH := $(shell $(HOSTCC) -print-multiarch 2>/dev/null)
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
endif
ALL_CFLAGS := -std=gnu11 $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) $(LIBC_CFLAGS) $(LIBBPF_CFLAGS) \
	-I$(OUTPUT) -Isrc -DEXITSNOOP_VERSION='"$(VERSION)"' -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS)

# Pure modules: no libbpf, unit-testable without root.
CORE_SRCS := event.c signame.c escape.c options.c output.c output_table.c \
	output_json.c timefmt.c btf_probe.c ringbuf.c container.c \
	metrics.c metrics_file.c
APP_SRCS := main.c session.c tracer.c cgroup.c log.c exporter.c $(CORE_SRCS)
APP_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(APP_SRCS))
CORE_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(CORE_SRCS)) $(OUTPUT)/log.o
UNIT_SRCS := $(wildcard tests/unit/test_*.c) tests/unit/run_unit.c
UNIT_OBJS := $(patsubst tests/unit/%.c,$(OUTPUT)/unit/%.o,$(UNIT_SRCS))

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all clean install uninstall test unit e2e deps soak bench vmtest deb
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BIN)

$(BIN): $(APP_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $(APP_LDFLAGS) $^ -o $@

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

$(OUTPUT)/exitsnoop.tmp.bpf.o: src/exitsnoop.bpf.c | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
		$(LIBBPF_CFLAGS) -Isrc $(CLANG_BPF_SYS_INCLUDES) -MMD -MP \
		-c $< -o $@

$(OUTPUT)/exitsnoop.bpf.o: $(OUTPUT)/exitsnoop.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUTPUT)/exitsnoop.lskel.h: $(OUTPUT)/exitsnoop.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton -L $< name exitsnoop_bpf > $@

$(OUTPUT)/tracer.o: $(OUTPUT)/exitsnoop.lskel.h

$(OUTPUT)/%.o: src/%.c | $(OUTPUT) $(MUSL_INC)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/unit/%.o: tests/unit/%.c | $(OUTPUT)/unit $(MUSL_INC)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

tests/unit/run_unit: $(UNIT_OBJS) $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@

tests/e2e/%: tests/e2e/%.c
	$(call msg,CC,$@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Werror $< -o $@ -lpthread

E2E_HELPERS := tests/e2e/victim tests/e2e/burst

# Installs whatever Debian packages the build and the tests need (done
# above, while the Makefile is read).
deps:
	@:

unit: tests/unit/run_unit
	$(Q)tests/unit/run_unit

e2e: exitsnoop $(E2E_HELPERS)
	$(Q)tests/e2e/run.sh

# The whole suite; the last line is "N passed, N failed, N skipped".
test: exitsnoop tests/unit/run_unit $(E2E_HELPERS)
	$(Q)tests/run.sh

# A sanitized build of its own, so that ./exitsnoop stays as it was.
soak: $(E2E_HELPERS)
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 OUTPUT=.output-asan BIN=exitsnoop-asan
	$(Q)tests/soak.sh ./exitsnoop-asan

bench: exitsnoop
	$(Q)bench/run.sh

# The same binary on another kernel (default: Debian 12's 6.1) under qemu.
vmtest: exitsnoop
	$(Q)tests/vm/run.sh $(VMLINUZ)

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

# exitsnoop_VERSION_DEBARCH.deb for the ARCH built (x86 -> amd64, arm64).
DEB_ARCH_x86 := amd64
DEB_ARCH_arm64 := arm64
DEB_ARCH ?= $(DEB_ARCH_$(ARCH))
DEBDIR ?= .
# a static binary embeds its C library: name its source in Built-Using
DEB_BUILT_USING = $(if $(filter musl,$(LIBC)),$(shell dpkg-query -W \
	-f='$${source:Package} (= $${source:Version})\n' musl-dev:$(DEB_ARCH) 2>/dev/null | head -n1))

deb: exitsnoop
	$(if $(DEB_ARCH),,$(error make deb: no Debian architecture for ARCH=$(ARCH)))
	$(call msg,DEB,$(DEBDIR)/exitsnoop_$(VERSION)_$(DEB_ARCH).deb)
	$(Q)BUILT_USING='$(DEB_BUILT_USING)' scripts/mkdeb.sh exitsnoop $(VERSION) $(DEB_ARCH) \
		$(DEBDIR) > /dev/null

clean:
	$(call msg,CLEAN)
	$(Q)rm -rf $(OUTPUT) .output-asan exitsnoop exitsnoop-asan tests/unit/run_unit $(E2E_HELPERS) bench/bin \
		exitsnoop_*.deb

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/unit/*.d)
