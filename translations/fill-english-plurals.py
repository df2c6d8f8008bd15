#!/usr/bin/env python3
"""Fills the English plurals-only .ts: "%n image(s)" becomes "%n image" / "%n images".
Run after `cmake --build <dir> --target update_translations` when new %n strings appear."""
import re
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
tree = ET.parse(path)
for message in tree.getroot().iter("message"):
    if message.get("numerus") != "yes":
        continue
    source = message.find("source").text or ""
    translation = message.find("translation")
    forms = translation.findall("numerusform")
    singular = re.sub(r"\((s|es)\)", "", source)
    plural = re.sub(r"\((s|es)\)", r"\1", source)
    for form, text in zip(forms, [singular, plural]):
        form.text = text
    translation.attrib.pop("type", None)
tree.write(path, encoding="utf-8", xml_declaration=True)
