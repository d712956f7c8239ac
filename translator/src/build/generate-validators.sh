#!/usr/bin/env bash
# Generates protoc-gen-validate (PGV) Java validators for the Envoy protos the translator emits and
# everything they import, and nothing else. The message classes themselves come from the Envoy api jar.
#
# usage: generate-validators.sh PROTOC PGV_PLUGIN PROTO_DIR OUT_DIR ROOT_PROTO...
set -euo pipefail
protoc=$1 plugin=$2 proto_dir=$3 out_dir=$4
shift 4
chmod +x "$protoc" "$plugin"

# Up to date when the same tools generated from the same roots: keeps incremental builds from recompiling
# the validators every time.
stamp="$(sha256sum "$protoc" "$plugin" | cut -c1-64 | tr '\n' ' ') $*"
if [[ -f "$out_dir/.stamp" && "$(cat "$out_dir/.stamp")" == "$stamp" ]]; then
    echo "generate-validators: up to date"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The transitive import closure: a descriptor set with --include_imports lists every file once.
"$protoc" --proto_path="$proto_dir" --include_imports --descriptor_set_out="$work/closure.pb" "$@"
"$protoc" --proto_path="$proto_dir" --decode=google.protobuf.FileDescriptorSet google/protobuf/descriptor.proto \
    < "$work/closure.pb" | sed -n 's/^  name: "\(.*\)"$/\1/p' | grep -v '^google/protobuf/' | sort > "$work/closure.txt"

rm -rf "$out_dir"
mkdir -p "$out_dir"
# shellcheck disable=SC2046
"$protoc" --proto_path="$proto_dir" --plugin=protoc-gen-validate="$plugin" \
    --validate_out=lang=java:"$out_dir" $(cat "$work/closure.txt")
echo "$stamp" > "$out_dir/.stamp"
echo "generate-validators: $(wc -l < "$work/closure.txt") proto files, $(find "$out_dir" -name '*.java' | wc -l) validators"
