#!/bin/bash
# Issue 11, item 7: do masks follow the words? Swap two class names and count the pixels that move.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
J="java -Dseglight.models=/work/main/models -jar /work/runs/jar/seglight.jar"
M=/work/runs/measure; C=/work/main/docs/configs; S=/work/shared/data
cd /work/runs
n=train-cwfid-10; /usr/bin/time -v $J train --config /work/main/docs/configs/learn-train-cwfid-lr4e-4.json --data data/cwfid --iterations 247 --out $M/$n > $M/$n.log 2>&1
cp $M/$n/model.seglight $M/$n.seglight
$J eval --model $M/$n.seglight --data data/cwfid --split val.txt --json > $M/$n.eval.json 2>> $M/$n.log
python3 -c "import json;d=json.load(open('$M/$n.eval.json'));print('$n\t%.2f\t'%(100*d['miou'])+'\t'.join('%s=%.2f'%(k,100*v) for k,v in d['per_class'].items()))" >> $M/summary.tsv
for m in default; do
  f=$M/$m.seglight; [ $m = default ] && f=/work/main/models/default.seglight
  $J eval --model $f --data $S/camvid --split val.txt --json > $M/words-$m-plain.json 2>/dev/null
  $J eval --model $f --data $S/camvid --split val.txt --classes $C/camvid-swap-car-road.csv --json > $M/words-$m-swap.json 2>/dev/null
done
for d in aerial-roads cwfid; do
  for m in before-$d learn-$d-10; do
    sw=$C/aerial-swap.csv; [ $d = cwfid ] && sw=$C/cwfid-swap.csv
    cp $M/$m.eval.json $M/words-$m-plain.json
    $J eval --model $M/$m.seglight --data data/$d --split val.txt --classes $sw --json > $M/words-$m-swap.json 2>/dev/null
  done
done
echo WORDS-DONE >> $M/summary.tsv
