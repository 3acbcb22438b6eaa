#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# summarize.sh RAW IDLE: median (min-max) per workload, tracer and figure,
# and per-round ratios, as Markdown. Tracers are taken from RAW in the order
# they ran; every exitsnoop variant X gets a row "X / libbpf-tools", and the
# variants in VS_DEFAULT a row "X / exitsnoop" (the same round's default path),
# and X a row "X / X-before" where another build ran as X-before.
RAW=$1 IDLE=$2
BASE=libbpf-tools
DEFAULT=exitsnoop
VS_DEFAULT="exitsnoop-compat exitsnoop-json exitsnoop-ancestors exitsnoop-perfbuf"

# tracers FILE COLUMN: the tracers in the order they first appear
tracers() {
	awk -F'\t' -v c="$2" 'NR > 1 && $c != "none" && !seen[$c]++ { print $c }' "$1"
}
TRACERS=$(tracers "$RAW" 3)
IDLE_TRACERS=$(tracers "$IDLE" 2)

# ratio_pairs TRACERS: "X|Y" for each ratio row X / Y, those present only
ratio_pairs() {
	local t
	for t in $1; do
		[[ $t == exitsnoop* ]] && grep -qx "$BASE" <<< "$1" && echo "$t|$BASE"
	done
	for t in $VS_DEFAULT; do
		grep -qx "$t" <<< "$1" && grep -qx "$DEFAULT" <<< "$1" && echo "$t|$DEFAULT"
	done
	# a change measured against another build (BENCH_BEFORE) in the same rounds
	for t in exitsnoop exitsnoop-json; do
		grep -qx "$t" <<< "$1" && grep -qx "$t-before" <<< "$1" && echo "$t|$t-before"
	done
}
PAIRS=$(ratio_pairs "$TRACERS")
IDLE_PAIRS=$(ratio_pairs "$IDLE_TRACERS" | grep "|$BASE\$")

# One "key<TAB>value" per figure and round; key = workload|tracer|figure,
# and workload|X / Y|figure for the ratios.
figures() {
	awk -F'\t' -v pairs="$PAIRS" '
	NR == 1 { next }
	$3 == "none" { base[$1, $2] = $4; next }
	{ row[NR] = $0 }
	END {
		for (i in row) {
			split(row[i], f, "\t")
			r = f[1]; w = f[2]; t = f[3]
			ev = (w == "forkx") ? f[5] : (f[7] > 0 ? f[7] : 1)
			v["cpu_us_per_event"] = f[8] / ev / 1000
			v["bpf_ns_per_run"] = f[10] > 0 ? f[9] / f[10] : 0
			v["slowdown"] = base[r, w] > 0 ? f[4] / base[r, w] : 0
			v["captured_pct"] = (w == "forkx") ? f[6] : 100 * f[6] / f[5]
			v["lost"] = f[14]
			v["peak_rss_mb"] = f[13] / 1024
			v["steady_rss_mb"] = f[12] / 1024
			v["steady_pss_mb"] = f[15] / 1024
			for (k in v) {
				print w "|" t "|" k "\t" v[k]
				val[r, w, t, k] = v[k]
				have[r, w, t] = 1
			}
		}
		n = split(pairs, pr, "\n")
		for (key in have) {
			split(key, p, SUBSEP)
			for (j = 1; j <= n; j++) {
				split(pr[j], xy, "|")
				if (xy[1] != p[3] || !((p[1], p[2], xy[2]) in have))
					continue
				for (k in v) {
					if (k == "captured_pct" || k == "lost")
						continue
					other = val[p[1], p[2], xy[2], k]
					if (other > 0)
						print p[2] "|" xy[1] " / " xy[2] "|" k "\t" val[p[1], p[2], p[3], k] / other
				}
			}
		}
	}' "$RAW"
}

# median (min-max) per key, from sorted values
stats() {
	sort -t'	' -k1,1 -k2,2g | awk -F'\t' '
	function flush() {
		if (n == 0) return
		med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		printf "%s\t%s\t%s\t%s\n", key, med, a[1], a[n]
	}
	$1 != key { flush(); key = $1; n = 0 }
	{ a[++n] = $2 }
	END { flush() }'
}

fmt() { # value -> compact number
	awk -v v="$1" 'BEGIN {
		if (v == 0) { print "0"; exit }
		a = v < 0 ? -v : v
		if (a >= 100) printf "%.0f", v; else if (a >= 10) printf "%.1f", v;
		else if (a >= 1) printf "%.2f", v; else printf "%.3f", v }'
}

STATS=$(figures | stats)
cell() { # KEY -> "median (min-max)", or the median alone with "short"
	local line
	line=$(printf '%s\n' "$STATS" | awk -F'\t' -v k="$1" '$1 == k')
	[ -z "$line" ] && { echo "-"; return; }
	IFS=$'\t' read -r _ med lo hi <<< "$line"
	if [ "${2:-}" = short ]; then
		fmt "$med"
	else
		echo "$(fmt "$med") ($(fmt "$lo")–$(fmt "$hi"))"
	fi
}

# rows TRACERS PAIRS: the tracers, then the ratios in bold
rows() {
	echo "$1"
	local p
	for p in $2; do
		echo "${p%|*} / ${p#*|}"
	done
}

FIGS="cpu_us_per_event bpf_ns_per_run slowdown captured_pct lost peak_rss_mb steady_rss_mb steady_pss_mb"
WORKLOADS=$(awk -F'\t' 'NR > 1 && !seen[$2]++ { print $2 }' "$RAW")
mapfile -t WL <<< "$WORKLOADS"
rounds=$(awk -F'\t' 'NR > 1 { print $1 }' "$RAW" | sort -u | wc -l)
echo "Rounds: $rounds. Each cell: median (min–max) over the rounds; a ratio X / Y is taken"
echo "in each round, then the median over the rounds."
echo
for w in $WORKLOADS; do
	echo "### $w"
	echo
	echo "| tracer | CPU µs/event | BPF ns/run | slowdown | captured % | lost | peak RSS MB | steady RSS MB | steady Pss MB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	while read -r t; do
		if [[ $t == *" / "* ]]; then
			row="| **$t**"
		else
			row="| $t"
		fi
		for f in $FIGS; do
			if [[ $t == *" / "* ]] && { [ "$f" = captured_pct ] || [ "$f" = lost ]; }; then
				row="$row | "
			else
				row="$row | $(cell "$w|$t|$f")"
			fi
		done
		echo "$row |"
	done <<< "$(rows "$TRACERS" "$PAIRS")"
	echo
	echo "Untraced wall time: $(awk -F'\t' -v w="$w" '$2 == w && $3 == "none" { printf "%.2f s ", $4 / 1e9 }' "$RAW"); exits per run: $(awk -F'\t' -v w="$w" '$2 == w && $3 == "none" { print $5; exit }' "$RAW")."
	echo
done

# The variants against the default path, all workloads side by side.
VARIANTS=$(grep "|$DEFAULT\$" <<< "$PAIRS")
if [ -n "$VARIANTS" ]; then
	echo "### exitsnoop's paths and modes against its default (ratios of medians per round)"
	echo
	for f in cpu_us_per_event bpf_ns_per_run; do
		echo "| $([ $f = cpu_us_per_event ] && echo "CPU µs/event" || echo "BPF ns/run") | $(printf '%s | ' "${WL[@]}")"
		echo "| --- |$(printf ' --- |%.0s' "${WL[@]}")"
		for p in $VARIANTS; do
			t="${p%|*} / ${p#*|}"
			row="| **$t**"
			for w in $WORKLOADS; do
				row="$row | $(cell "$w|$t|$f" short)"
			done
			echo "$row |"
		done
		echo
	done
fi

IDLE_STATS=$(awk -F'\t' -v pairs="$IDLE_PAIRS" 'NR > 1 {
	v["wakeups_per_s"] = $3 / 10
	v["latency_ms"] = $4 / 1000
	v["ready_ms"] = $5 / 1000
	v["peak_rss_mb"] = $6 / 1024
	v["steady_pss_mb"] = $7 / 1024
	v["steady_rss_mb"] = $8 / 1024
	for (k in v) {
		print "idle|" $2 "|" k "\t" v[k]
		val[$1, $2, k] = v[k]
	}
	have[$1, $2] = 1
} END {
	n = split(pairs, pr, "\n")
	for (key in have) {
		split(key, p, SUBSEP)
		for (j = 1; j <= n; j++) {
			split(pr[j], xy, "|")
			if (xy[1] != p[2] || !((p[1], xy[2]) in have))
				continue
			for (k in v)
				if (val[p[1], xy[2], k] > 0)
					print "idle|" xy[1] " / " xy[2] "|" k "\t" val[p[1], p[2], k] / val[p[1], xy[2], k]
		}
	}
}' "$IDLE" | stats)
STATS="$STATS
$IDLE_STATS"
echo "### idle, ready, latency, memory"
echo
echo "Each tracer with a filter that matches nothing (-p of a sleeping process) for 5 s; then that"
echo "process is killed and the time until its line is in the output file is taken. Ready: from"
echo "exec to the header (-j: its \"Tracing\" line; bpftrace: its BEGIN line) in the output, the"
echo "peers' output line-buffered. Memory at the end of the 5 s: peak RSS (VmHWM, since exec),"
echo "steady RSS (VmRSS) and Pss (smaps_rollup: shared pages counted by their share)."
echo
echo "| tracer | wakeups per second, idle | lone exit printed after (ms) | ready after exec (ms) | peak RSS MB | steady RSS MB | steady Pss MB |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
while read -r t; do
	[ -z "$t" ] && continue
	if [[ $t == *" / "* ]]; then
		echo "| **$t** | | | $(cell "idle|$t|ready_ms") | $(cell "idle|$t|peak_rss_mb") | $(cell "idle|$t|steady_rss_mb") | $(cell "idle|$t|steady_pss_mb") |"
	else
		echo "| $t | $(cell "idle|$t|wakeups_per_s") | $(cell "idle|$t|latency_ms") | $(cell "idle|$t|ready_ms") | $(cell "idle|$t|peak_rss_mb") | $(cell "idle|$t|steady_rss_mb") | $(cell "idle|$t|steady_pss_mb") |"
	fi
done <<< "$(rows "$IDLE_TRACERS" "$IDLE_PAIRS")"
