#!/bin/bash
# Issue 11 measurements: learn vs baselines on aerial-roads and cwfid (2 cores).
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
J="java -Dseglight.models=/work/main/models -jar /work/runs/jar/seglight.jar"
M=/work/runs/measure
cd /work/runs
ev() { # name dataset
  $J eval --model $M/$1.seglight --data data/$2 --split val.txt --json > $M/$1.eval.json 2>> $M/$1.log
  python3 -c "import json,sys;d=json.load(open('$M/$1.eval.json'));print('$1\t%.2f\t'%(100*d['miou'])+'\t'.join('%s=%.2f'%(k,100*v) for k,v in d['per_class'].items()))" >> $M/summary.tsv
}
for d in aerial-roads cwfid; do
  n=before-$d; $J learn --model default --data data/$d --split train.txt --iterations 0 --out $M/$n.seglight > $M/$n.log 2>&1; ev $n $d
  for k in 10 5 20; do
    n=learn-$d-$k; /usr/bin/time -v $J learn --data data/$d --split train.txt --images $k --minutes 5 --out $M/$n.seglight > $M/$n.log 2>&1; ev $n $d
  done
  n=whole-$d-10; $J learn --data data/$d --split train.txt --images 10 --minutes 5 --whole --out $M/$n.seglight > $M/$n.log 2>&1; ev $n $d
  spi=$(grep -o '[0-9.]* s/iteration' $M/$n.log | head -1 | cut -d' ' -f1)
  its=$(python3 -c "print(max(20,int(280/$spi)))")
  echo "train $d: $spi s/it in whole learning -> $its iterations" >> $M/summary.tsv
  n=train-$d-10; /usr/bin/time -v $J train --config /work/main/docs/configs/learn-train-$d.json --data data/$d --iterations $its --out $M/$n > $M/$n.log 2>&1
  cp $M/$n/model.seglight $M/$n.seglight; ev $n $d
done
for d in aerial-roads cwfid; do
  n=learn20min-$d-10; $J learn --data data/$d --split train.txt --images 10 --minutes 20 --out $M/$n.seglight > $M/$n.log 2>&1; ev $n $d
done
echo DONE >> $M/summary.tsv
