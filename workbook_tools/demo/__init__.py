"""The demo and the filler: fill generated workbooks the way units do (without a spreadsheet
application), build a realistic inbox, and run the whole campaign on the sample.

May import every stage; only ``cli`` imports it.
"""
