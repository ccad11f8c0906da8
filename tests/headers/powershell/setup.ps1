<#
  .SYNOPSIS
  Sets things up.
  SPDX-License-Identifier: MIT
#>
Write-Host "setup"
