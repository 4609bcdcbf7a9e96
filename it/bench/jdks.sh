# Sourced by the bench scripts. Fills the array jdks with the JDK homes to run on: those named
# on the command line (already in jdks), else the default java and Temurin 25 if installed.
if ((${#jdks[@]} == 0)); then
  jdks+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]] && jdks+=(/usr/lib/jvm/temurin-25-jdk-amd64)
fi
for jdk in "${jdks[@]}"; do
  [[ -x $jdk/bin/java ]] || { echo "not a JDK home: $jdk" >&2; exit 2; }
done
