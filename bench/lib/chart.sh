# chart SECTION DATADIR PNG: one small bar chart per metric (medians per implementation), gnuplot.
chart() {
  local sec=$1 dir=$2 png=$3 nm ni
  read -r nm ni < "$dir/$sec.n"
  local cols=3 rows=$(( (nm + 2) / 3 ))
  {
    echo "set terminal pngcairo size 1200,$(( rows * 300 )) font ',9' noenhanced"
    echo "set output '$png'"
    echo "set multiplot layout $rows,$cols title 'Warren bench: $sec (medians)'"
    echo "set style data histogram; set style histogram clustered; set style fill solid 0.8 border -1"
    echo "set boxwidth 0.8; set key off; set yrange [0:*]; set grid ytics; set xtics rotate by -20"
    local m title
    for m in $(seq 1 "$nm"); do
      title=$(sed -n "$(( m + 1 ))p" "$dir/$sec.dat" | cut -f1 | tr -d "\"'")
      echo "set title '$title'"
      echo "plot '$dir/$sec.tr' using $(( m + 1 )):xtic(1) lc rgb '#4477aa'"
    done
    echo "unset multiplot"
  } > "$dir/$sec.gp"
  # transpose: one row per implementation, one column per metric
  /usr/bin/python3 -c '
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
for j in range(1, len(rows[0])):
    print("\t".join([rows[0][j]] + [r[j] for r in rows[1:]]))' "$dir/$sec.dat" > "$dir/$sec.tr"
  gnuplot "$dir/$sec.gp" 2>"$dir/$sec.gperr" || { cat "$dir/$sec.gperr" >&2; return 1; }
}
