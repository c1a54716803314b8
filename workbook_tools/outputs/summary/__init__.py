"""The district summary workbook ``tong-hop.xlsx``: ``workbook.write_summary`` adds one sheet per
module here; ``base`` holds what the sheets share.
"""
