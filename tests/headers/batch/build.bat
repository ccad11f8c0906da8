@echo off
REM SPDX-License-Identifier: MIT
echo building
