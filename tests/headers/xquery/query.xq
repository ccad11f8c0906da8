(: SPDX-License-Identifier: MIT :)
for $x in doc("a.xml")//b return $x
