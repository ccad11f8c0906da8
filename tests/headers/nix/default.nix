# SPDX-License-Identifier: MIT
{ pkgs ? import <nixpkgs> {} }: pkgs.hello
