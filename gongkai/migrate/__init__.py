"""Migration from a legacy CMS export: what `gongkai import documents` has to guess, and the review file.

Exports lack what gongkai needs (领域, credit codes, 解读对象, sometimes 组配分类): each guess is made
here, with its reason in Chinese, written to one review workbook the clerk corrects in Excel and read
back by the next import. Modules: ``agencies`` (issuing bodies: aliases, joint issues, new bodies),
``domains`` (领域 inference, with the county's 栏目 table first), ``kinds`` (组配分类 vocabulary
mapping), ``interprets`` (解读 → policy by 《title》 or 文号), ``numbers`` (personal numbers in the
export: masked or declared public), ``review`` (the workbook), ``edits`` (text edits of county.yml,
public-numbers.yml and document front matter that keep every other byte). ``plan`` runs them in order
(``decide`` per row, ``output`` for what is written) and returns every file's new content.
"""
