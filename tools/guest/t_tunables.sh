#!/bin/sh
# t_tunables.sh: the debugfs tunables.  Each reads a value and takes one
# back; the watermarks in zoneinfo follow min_free_kbytes and
# watermark_scale_factor, the protection line follows lowmem_reserve_ratio;
# bad values are refused with EINVAL and change nothing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

# check_write DESC FILE VALUE: writing VALUE succeeds and reads back
check_write() {
	if bb_write "$2" "$3"; then
		check_eq "$1" "$(tr -s ' \t' '  ' < "$2" | sed 's/ *$//')" \
			"$(echo "$3" | tr -s ' \t' '  ')"
	else
		not_ok "$1: writing '$3' failed"
		detail "$BB_TMP/write.err"
	fi
}

# check_write_einval DESC FILE VALUE: writing VALUE fails with EINVAL, the
# value stays
check_write_einval() {
	_before=$(cat "$2")
	if bb_write "$2" "$3"; then
		not_ok "$1: '$3' accepted"
	elif grep -q 'Invalid argument' "$BB_TMP/write.err"; then
		check_eq "$1: EINVAL, value unchanged" "$(cat "$2")" "$_before"
	else
		not_ok "$1: '$3' refused, but not with EINVAL"
		detail "$BB_TMP/write.err"
	fi
}

bb_cleanup
check_insmod "insmod"
bb_loaded || bb_done

mfk=$BBD/min_free_kbytes
wsf=$BBD/watermark_scale_factor
wbf=$BBD/watermark_boost_factor
lrr=$BBD/lowmem_reserve_ratio
for f in "$mfk" "$wsf" "$wbf" "$lrr"; do
	check "${f##*/} is readable" cat "$f"
done
mfk0=$(cat "$mfk")
wsf0=$(cat "$wsf")
wbf0=$(cat "$wbf")
lrr0=$(cat "$lrr")
note "min_free_kbytes $mfk0, watermark_scale_factor $wsf0," \
	"watermark_boost_factor $wbf0, lowmem_reserve_ratio $lrr0"
check_num "min_free_kbytes is computed, > 0" "$mfk0" -gt 0
check_eq "watermark_scale_factor defaults to 10" "$wsf0" 10
check_num "watermark_boost_factor is a number" "$wbf0" -ge 0
nzones=$(echo "$lrr0" | wc -w)
check_num "lowmem_reserve_ratio has a value per zone" "$nzones" -ge 3

# --- min_free_kbytes moves the watermarks ----------------------------------
min0=$(bb_zoneinfo_sum min)
low0=$(bb_zoneinfo_sum low)
high0=$(bb_zoneinfo_sum high)
note "zoneinfo: sum of min $min0, low $low0, high $high0"
check_num "zoneinfo has watermarks" "$min0" -gt 0
check_num "low > min" "$low0" -gt "$min0"
check_num "high > low" "$high0" -gt "$low0"

check_write "min_free_kbytes=4096 reads back" "$mfk" 4096
min1=$(bb_zoneinfo_sum min)
# 4096 KiB is 1024 pages, shared out among the zones (each share rounded down)
check_num "sum of min watermarks <= 1024 pages" "$min1" -le 1024
check_num "sum of min watermarks >= 1020 pages" "$min1" -ge 1020
low1=$(bb_zoneinfo_sum low)
high1=$(bb_zoneinfo_sum high)
check_write "min_free_kbytes=1024 reads back" "$mfk" 1024
min2=$(bb_zoneinfo_sum min)
check_num "sum of min watermarks <= 256 pages" "$min2" -le 256
check_num "sum of min watermarks >= 252 pages" "$min2" -ge 252
check_num "low watermarks follow min down" "$(bb_zoneinfo_sum low)" -lt "$low1"
check_num "high watermarks follow min down" "$(bb_zoneinfo_sum high)" -lt "$high1"
check_write "min_free_kbytes back to $mfk0" "$mfk" "$mfk0"
check_eq "min watermarks back" "$(bb_zoneinfo_sum min)" "$min0"

# --- watermark_scale_factor widens the gaps --------------------------------
check_write "watermark_scale_factor=1000 reads back" "$wsf" 1000
check_eq "min watermarks unchanged" "$(bb_zoneinfo_sum min)" "$min0"
check_num "low watermarks rose" "$(bb_zoneinfo_sum low)" -gt "$low0"
check_num "high watermarks rose" "$(bb_zoneinfo_sum high)" -gt "$high0"
check_write "watermark_scale_factor back to $wsf0" "$wsf" "$wsf0"
check_eq "low watermarks back" "$(bb_zoneinfo_sum low)" "$low0"
check_eq "high watermarks back" "$(bb_zoneinfo_sum high)" "$high0"

# --- watermark_boost_factor ------------------------------------------------
check_write "watermark_boost_factor=0 reads back" "$wbf" 0
check_write "watermark_boost_factor back to $wbf0" "$wbf" "$wbf0"

# --- lowmem_reserve_ratio changes the protection -----------------------------
grep 'protection' "$BBD/zoneinfo" > "$BB_TMP/prot0"
check_num "zoneinfo has protection lines" "$(wc -l < "$BB_TMP/prot0")" -gt 0
ones=$(echo "$lrr0" | awk '{ for (i = 1; i <= NF; i++) printf "%s1", (i > 1 ? " " : "") }')
check_write "lowmem_reserve_ratio='$ones' reads back" "$lrr" "$ones"
grep 'protection' "$BBD/zoneinfo" > "$BB_TMP/prot1"
check_fails "protection changed" cmp -s "$BB_TMP/prot0" "$BB_TMP/prot1"
check_write "lowmem_reserve_ratio back" "$lrr" "$lrr0"
grep 'protection' "$BBD/zoneinfo" > "$BB_TMP/prot2"
check_same "protection back" "$BB_TMP/prot0" "$BB_TMP/prot2"

# --- bad values ------------------------------------------------------------
for v in -1 abc "" 12x 99999999999999999999 $((256 * 1024 * 1024)); do
	check_write_einval "min_free_kbytes='$v'" "$mfk" "$v"
done
for v in 0 3001 -5 abc ""; do
	check_write_einval "watermark_scale_factor='$v'" "$wsf" "$v"
done
for v in -1 abc ""; do
	check_write_einval "watermark_boost_factor='$v'" "$wbf" "$v"
done
neg=$(echo "$lrr0" | awk '{ for (i = 1; i <= NF; i++) printf "%s-1", (i > 1 ? " " : "") }')
for v in abc "$neg" "1 x 1 1"; do
	check_write_einval "lowmem_reserve_ratio='$v'" "$lrr" "$v"
done
check_eq "watermarks unchanged by the bad writes" \
	"$(bb_zoneinfo_sum min) $(bb_zoneinfo_sum low) $(bb_zoneinfo_sum high)" \
	"$min0 $low0 $high0"

# --- the allocator still works -----------------------------------------------
# shellcheck disable=SC2016  # $1 is buddyctl's
check "an allocation after all this" "$BUDDYCTL" alloc --order 3 -- free '$1'
check_consistent "check ok"
check_all_free "every page free"
check_rmmod "rmmod"
bb_cleanup
bb_done
