#!/usr/bin/env bash
# Packs Parallel.Gen and builds and runs samples/QuickStart/Program.cs in a fresh console app that
# has nothing but a PackageReference: catches what in-repo project references hide (a generator
# missing from the package, build props not applied, interceptors not enabled).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pgen-smoke.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
dotnet pack "$root/src/Runtime/Parallel.Gen.csproj" -c Release -o "$scratch/feed" >"$scratch/pack.log" 2>&1 || { tail -30 "$scratch/pack.log"; exit 1; }
pkg=$(ls "$scratch"/feed/Parallel.Gen.[0-9]*.nupkg | head -1)
ver=$(basename "$pkg" .nupkg); ver=${ver#Parallel.Gen.}
# List once: 'unzip -l | grep -q' under pipefail fails at random when grep exits before unzip has written everything (SIGPIPE).
listing=$(unzip -l "$pkg")
for required in lib/net10.0/Parallel.Gen.dll analyzers/dotnet/cs/Parallel.Gen.Generators.dll analyzers/dotnet/cs/Parallel.Gen.Analyzers.dll analyzers/dotnet/cs/Parallel.Gen.CodeFixes.dll build/Parallel.Gen.props buildTransitive/Parallel.Gen.props; do
  grep -q " $required\$" <<<"$listing" || { echo "package lacks $required"; exit 1; }
done
# Parallel.Gen.Diagnostics (CaptureStacksOnTimeout): its dll, and a dependency on Parallel.Gen, whose generator registers it.
dotnet pack "$root/src/Diagnostics/Parallel.Gen.Diagnostics.csproj" -c Release -o "$scratch/feed" >"$scratch/pack-diagnostics.log" 2>&1 || { tail -30 "$scratch/pack-diagnostics.log"; exit 1; }
diagnostics=$(ls "$scratch"/feed/Parallel.Gen.Diagnostics.[0-9]*.nupkg | head -1)
grep -q " lib/net10.0/Parallel.Gen.Diagnostics.dll\$" <<<"$(unzip -l "$diagnostics")" || { echo "Parallel.Gen.Diagnostics lacks its dll"; exit 1; }
grep -q 'id="Parallel.Gen"' <<<"$(unzip -p "$diagnostics" '*.nuspec')" || { echo "Parallel.Gen.Diagnostics does not depend on Parallel.Gen"; exit 1; }
mkdir -p "$scratch/app"
cat >"$scratch/app/Smoke.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <RestoreAdditionalProjectSources>$scratch/feed</RestoreAdditionalProjectSources>
    <RestorePackagesPath>$scratch/packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup><PackageReference Include="Parallel.Gen" Version="$ver" /></ItemGroup>
</Project>
XML
cp "$root/samples/QuickStart/Program.cs" "$scratch/app/Program.cs"
(cd "$scratch/app" && dotnet build -c Release >"$scratch/build.log" 2>&1) || { grep -E "error|warning" "$scratch/build.log" | sort -u | head -30; exit 1; }
(cd "$scratch/app" && timeout 300 dotnet bin/Release/net10.0/Smoke.dll)
echo "package smoke test: OK (Parallel.Gen $ver)"
