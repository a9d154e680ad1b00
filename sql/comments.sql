-- The data dictionary: a Chinese COMMENT (with its unit) on every published table and column,
-- so that `select * from duckdb_columns()` answers what each figure means.

comment on table ref_scale_targets is '各区（新区）产业规模目标（亿元），来源：深府办〔2010〕98号 十（一）；含全市行';
comment on column ref_scale_targets.year is '目标年度';
comment on column ref_scale_targets.district is '目标单位（8个区/新区）或全市';
comment on column ref_scale_targets.industry is '产业类别：生物、互联网、新能源';
comment on column ref_scale_targets.target_yi is '年度产业规模目标（亿元）';

comment on table ref_combined_targets is '三大产业合计规模目标（亿元），来源：方案 一（二）';
comment on column ref_combined_targets.year is '目标年度';
comment on column ref_combined_targets.target_yi is '三大产业合计规模目标（亿元）';
comment on column ref_combined_targets.source_section is '出处（方案章节）';

comment on table ref_band_targets is '重点企业数量目标（家，全市），来源：方案 一、主要目标';
comment on column ref_band_targets.year is '目标年度';
comment on column ref_band_targets.industry is '产业类别';
comment on column ref_band_targets.band is '规模档次：超百亿元、超十亿元、超亿元';
comment on column ref_band_targets.threshold_yi is '档次门槛（亿元）';
comment on column ref_band_targets.target_floor is '目标企业数（家），区间目标取下限';
comment on column ref_band_targets.target_stretch is '目标企业数（家），区间目标取上限';
comment on column ref_band_targets.qualifier is '方案措辞：达到、力争、左右、培育';
comment on column ref_band_targets.measure is '方案所用指标：年产值、营业收入、销售收入';
comment on column ref_band_targets.source_section is '出处（方案章节）';

comment on table ref_indicators is '其他量化目标登记表（非产值调查指标，由责任单位报送）';
comment on column ref_indicators.indicator_id is '指标编号';
comment on column ref_indicators.year is '目标年度';
comment on column ref_indicators.industry is '产业类别（全部 = 三大产业共同）';
comment on column ref_indicators.indicator is '指标名称';
comment on column ref_indicators.target_value is '目标值（单位见 unit）';
comment on column ref_indicators.unit is '计量单位（个、项）';
comment on column ref_indicators.comparator is '>= 表示“以上”，= 表示“达到/建成”';
comment on column ref_indicators.responsible_units is '责任单位';
comment on column ref_indicators.source_section is '出处（方案章节）';

comment on table ref_districts is '区划字典：8个目标单位及2011-12-30设立的龙华新区、大鹏新区';
comment on column ref_districts.district is '区（新区）名称';
comment on column ref_districts.aliases is '可接受的简称，以 | 分隔';
comment on column ref_districts.gb2260_code is 'GB/T 2260 行政区划代码（新区当时无代码）';
comment on column ref_districts.kind is '行政区或功能新区';
comment on column ref_districts.target_unit is '目标口径下归属的目标单位（龙华新区→宝安区，大鹏新区→龙岗区）';
comment on column ref_districts.is_target_unit is '是否为方案的目标单位';
comment on column ref_districts.valid_from_year is '数据中可出现的首个统计年度';
comment on column ref_districts.established is '设立日期';
comment on column ref_districts.sort_order is '排列顺序（按方案表格）';

comment on table ref_industries is '产业字典与统计口径：生物按产值发生地，互联网、新能源按企业注册地';
comment on column ref_industries.industry is '产业类别';
comment on column ref_industries.industry_en is '英文名';
comment on column ref_industries.counting_rule is '统计口径代码：output = 产值发生地，registration = 企业注册地';
comment on column ref_industries.counting_rule_zh is '统计口径';
comment on column ref_industries.sort_order is '排列顺序';

comment on table ref_unit_code_allowlist is '单位代码校验位豁免名单（须注明原因与批准人）';
comment on column ref_unit_code_allowlist.unit_code is '单位代码';
comment on column ref_unit_code_allowlist.reason is '豁免原因';
comment on column ref_unit_code_allowlist.approved_by is '批准人或单位';
comment on column ref_unit_code_allowlist.approved_on is '批准日期';

comment on view int_attributed_output is '按统计口径归属后的企业记录（每条有效记录一行，产值：亿元/万元；视图：int_attributed_facts 连接单位代码与名称）';
comment on column int_attributed_output.year is '统计年度';
comment on column int_attributed_output.ytd_months is '累计月数：3、6、9、12';
comment on column int_attributed_output.period_label is '累计期：1-3月 … 1-12月';
comment on column int_attributed_output.unit_code is '单位代码（已规范：大写，去除“-”和空格）';
comment on column int_attributed_output.unit_name is '单位名称';
comment on column int_attributed_output.industry is '产业类别';
comment on column int_attributed_output.reg_district is '注册地（区）';
comment on column int_attributed_output.output_district is '产值发生地（区）';
comment on column int_attributed_output.counting_rule is '适用的统计口径：output = 产值发生地，registration = 企业注册地';
comment on column int_attributed_output.current_district is '按统计口径归属的区（现行区划，新区单列）';
comment on column int_attributed_output.target_unit is '按统计口径归属的目标单位（目标口径，新区并入原区）';
comment on column int_attributed_output.ytd_value_wan is '本年累计产值（万元）';
comment on column int_attributed_output.ytd_value_yi is '本年累计产值（亿元）';
comment on column int_attributed_output.source_file is '来源文件名';
comment on column int_attributed_output.source_row is '来源文件中的行号（表头为第1行）';

comment on table int_attributed_facts is '按统计口径归属后的企业记录的存储表（单位代码、名称以编号存储；查询请用视图 int_attributed_output）';
comment on column int_attributed_facts.year is '统计年度';
comment on column int_attributed_facts.ytd_months is '累计月数：3、6、9、12';
comment on column int_attributed_facts.period_label is '累计期：1-3月 … 1-12月';
comment on column int_attributed_facts.firm_id is '企业编号（对应 int_enterprise_codes.unit_code；仅在本库内有效）';
comment on column int_attributed_facts.name_id is '单位名称编号（对应 int_enterprise_names.unit_name；仅在本库内有效）';
comment on column int_attributed_facts.industry is '产业类别';
comment on column int_attributed_facts.reg_district is '注册地（区）';
comment on column int_attributed_facts.output_district is '产值发生地（区）';
comment on column int_attributed_facts.counting_rule is '适用的统计口径：output = 产值发生地，registration = 企业注册地';
comment on column int_attributed_facts.current_district is '按统计口径归属的区（现行区划，新区单列）';
comment on column int_attributed_facts.target_unit is '按统计口径归属的目标单位（目标口径，新区并入原区）';
comment on column int_attributed_facts.ytd_value_wan is '本年累计产值（万元）';
comment on column int_attributed_facts.ytd_value_yi is '本年累计产值（亿元）';
comment on column int_attributed_facts.source_file is '来源文件名';
comment on column int_attributed_facts.source_row is '来源文件中的行号（表头为第1行）';

comment on table int_enterprise_codes is '有效记录中的单位代码及其编号（每个单位代码一行）';
comment on column int_enterprise_codes.firm_id is '企业编号（仅在本库内有效）';
comment on column int_enterprise_codes.unit_code is '单位代码（已规范：大写，去除“-”和空格）';

comment on table int_enterprise_names is '有效记录中的单位名称及其编号（每个名称一行）';
comment on column int_enterprise_names.name_id is '单位名称编号（仅在本库内有效）';
comment on column int_enterprise_names.unit_name is '单位名称';

comment on table int_periods is '有效数据中出现的统计期（年度 × 累计期）';
comment on column int_periods.year is '统计年度';
comment on column int_periods.ytd_months is '累计月数：3、6、9、12';
comment on column int_periods.period_label is '累计期：1-3月 … 1-12月';

comment on table int_unit_actuals is '各目标单位分产业本年累计规模（亿元，目标口径，未报送为0）';
comment on column int_unit_actuals.year is '统计年度';
comment on column int_unit_actuals.ytd_months is '累计月数';
comment on column int_unit_actuals.period_label is '累计期';
comment on column int_unit_actuals.district is '目标单位';
comment on column int_unit_actuals.industry is '产业类别';
comment on column int_unit_actuals.actual_yi is '本年累计规模（亿元）';
comment on column int_unit_actuals.enterprises is '报送企业数（家）';

comment on table int_city_actuals is '全市分产业本年累计规模（亿元），直接由企业记录汇总，用于核对各区之和';
comment on column int_city_actuals.year is '统计年度';
comment on column int_city_actuals.ytd_months is '累计月数';
comment on column int_city_actuals.period_label is '累计期';
comment on column int_city_actuals.industry is '产业类别（含合计）';
comment on column int_city_actuals.actual_yi is '本年累计规模（亿元）';
comment on column int_city_actuals.enterprises is '报送企业数（家，去重）';

comment on table mart_attainment is '三大产业目标完成情况（目标口径：龙华新区并入宝安区、大鹏新区并入龙岗区）；每年度×累计期×区×产业一行';
comment on column mart_attainment.year is '统计年度';
comment on column mart_attainment.ytd_months is '累计月数：3、6、9、12';
comment on column mart_attainment.period_label is '累计期：1-3月、1-6月、1-9月、1-12月';
comment on column mart_attainment.district is '8个目标单位及全市';
comment on column mart_attainment.industry is '产业类别：生物、互联网、新能源、合计';
comment on column mart_attainment.actual_yi is '本年累计规模（亿元），按统计口径归属；未报送为0';
comment on column mart_attainment.target_yi is '年度目标（亿元）；无目标年度为空';
comment on column mart_attainment.attainment is '完成进度 = 本年累计规模 ÷ 年度目标（比值，1 = 100%）';
comment on column mart_attainment.time_progress is '时间进度 = 累计月数 ÷ 12（比值）';
comment on column mart_attainment.schedule_gap_pp is '快慢于时间进度（个百分点）=（完成进度 − 时间进度）× 100';
comment on column mart_attainment.yoy_growth is '同比增长（比值，0.1 = 10%）= 本期 ÷ 上年同期 − 1；无上年同期为空';
comment on column mart_attainment.enterprises is '报送企业数（家，去重）';

comment on table mart_attainment_current is '现行区划口径的产业规模（龙华新区、大鹏新区单列）；每年度×累计期×区×产业一行';
comment on column mart_attainment_current.year is '统计年度';
comment on column mart_attainment_current.ytd_months is '累计月数';
comment on column mart_attainment_current.period_label is '累计期';
comment on column mart_attainment_current.district is '区（新区），含龙华新区、大鹏新区及全市';
comment on column mart_attainment_current.target_unit is '目标口径下归属的目标单位';
comment on column mart_attainment_current.industry is '产业类别（含合计）';
comment on column mart_attainment_current.actual_yi is '本年累计规模（亿元）';

comment on table mart_single_quarter is '单季规模（亿元）= 本期累计 − 上期累计；每年度×季度×区×产业一行';
comment on column mart_single_quarter.year is '统计年度';
comment on column mart_single_quarter.quarter is '季度：1–4';
comment on column mart_single_quarter.ytd_months is '对应累计月数';
comment on column mart_single_quarter.period_label is '对应累计期';
comment on column mart_single_quarter.district is '8个目标单位及全市';
comment on column mart_single_quarter.industry is '产业类别（含合计）';
comment on column mart_single_quarter.quarter_yi is '单季规模（亿元）；缺上期累计时为空';
comment on column mart_single_quarter.is_negative is '单季值为负（累计值下降，需核实）';

comment on table mart_growth_comparable is '同比增长：全口径与可比口径（两年同期均报送的同一批企业）；每年度×累计期×区×产业一行';
comment on column mart_growth_comparable.year is '统计年度';
comment on column mart_growth_comparable.ytd_months is '累计月数';
comment on column mart_growth_comparable.period_label is '累计期';
comment on column mart_growth_comparable.district is '8个目标单位及全市';
comment on column mart_growth_comparable.industry is '产业类别（含合计）';
comment on column mart_growth_comparable.actual_yi is '本年累计规模（亿元）';
comment on column mart_growth_comparable.prior_actual_yi is '上年同期累计规模（亿元）';
comment on column mart_growth_comparable.yoy_growth is '全口径同比增长（比值）';
comment on column mart_growth_comparable.comparable_enterprises is '可比企业数（家）';
comment on column mart_growth_comparable.comparable_current_yi is '可比企业本期累计规模（亿元）';
comment on column mart_growth_comparable.comparable_prior_yi is '可比企业上年同期累计规模（亿元）';
comment on column mart_growth_comparable.yoy_growth_comparable is '可比口径同比增长（比值）';

comment on table mart_enterprise_bands is '重点企业数量：全年（1-12月）产值达到各档门槛的企业数（累计计数）与方案目标；每年度×产业×档次一行';
comment on column mart_enterprise_bands.year is '统计年度';
comment on column mart_enterprise_bands.industry is '产业类别';
comment on column mart_enterprise_bands.band is '规模档次：超百亿元、超十亿元、超亿元';
comment on column mart_enterprise_bands.threshold_yi is '档次门槛（亿元）：100、10、1';
comment on column mart_enterprise_bands.enterprises is '全年产值不低于门槛的企业数（家）';
comment on column mart_enterprise_bands.target is '方案目标企业数（家，区间取下限）；无目标为空';
comment on column mart_enterprise_bands.target_stretch is '方案目标企业数（家，区间取上限）';
comment on column mart_enterprise_bands.qualifier is '方案措辞：达到、力争、左右、培育';

comment on table mart_district_ranking is '各区综合排名：三个产业完成进度（封顶）的算术平均；每年度×累计期×目标单位一行';
comment on column mart_district_ranking.year is '统计年度';
comment on column mart_district_ranking.ytd_months is '累计月数';
comment on column mart_district_ranking.period_label is '累计期';
comment on column mart_district_ranking.district is '目标单位';
comment on column mart_district_ranking.score is '综合得分（比值，1 = 100%）';
comment on column mart_district_ranking.rank is '名次（1 = 第一）';
comment on column mart_district_ranking.prev_rank is '同年上一累计期名次；1-3月为空';
comment on column mart_district_ranking.attainment_bio is '生物产业完成进度（封顶后，比值）';
comment on column mart_district_ranking.attainment_internet is '互联网产业完成进度（封顶后，比值）';
comment on column mart_district_ranking.attainment_new_energy is '新能源产业完成进度（封顶后，比值）';
comment on column mart_district_ranking.cap is '完成进度封顶值（比值）';
comment on column mart_district_ranking.method is '评分方法说明';

comment on table mart_provenance is '数据来源：各统计期由哪些文件提供、现行与被修订替换的记录数、装载运行';
comment on column mart_provenance.year is '统计年度';
comment on column mart_provenance.ytd_months is '累计月数';
comment on column mart_provenance.period_label is '累计期';
comment on column mart_provenance.source_file is '来源文件名';
comment on column mart_provenance.sha256 is '来源文件 SHA-256';
comment on column mart_provenance.records is '现行有效记录数（条）';
comment on column mart_provenance.replaced_records is '被修订文件替换的记录数（条）';
comment on column mart_provenance.run_id is '装载运行编号';
comment on column mart_provenance.loaded_at is '装载时间';

comment on table dq_file_summary is '文件接收与行数核对：读入 = 接受 + 退回；每个文件一行';
comment on column dq_file_summary.source_file is '文件名（原样）';
comment on column dq_file_summary.sha256 is '文件字节的 SHA-256';
comment on column dq_file_summary.encoding is '识别出的编码（utf-8、utf-8-sig、gb18030、xlsx）';
comment on column dq_file_summary.sheet is 'xlsx 读取的工作表';
comment on column dq_file_summary.value_unit is '产值列表头的计量单位（已折算为万元）';
comment on column dq_file_summary.is_revision is '是否修订文件（文件名含“修订”）';
comment on column dq_file_summary.rows_read is '读入行数（行）';
comment on column dq_file_summary.rows_accepted is '接受行数（行）';
comment on column dq_file_summary.rows_rejected is '退回行数（行）';
comment on column dq_file_summary.rows_warned is '接受但有提示的行数（行）';
comment on column dq_file_summary.rows_replaced is '被后续修订文件替换的行数（行）';
comment on column dq_file_summary.file_error is '整个文件无法读取时的原因';

comment on table dq_quarantine is '退回记录：每个被退回的输入行一行，含全部原因与原始值';
comment on column dq_quarantine.source_file is '文件名';
comment on column dq_quarantine.source_row is '行号（表头为第1行，首条记录为第2行）';
comment on column dq_quarantine.reasons is '全部退回原因（中文，以“；”分隔）';
comment on column dq_quarantine.reasons_en is '全部退回原因（英文）';
comment on column dq_quarantine.columns is '涉及的列';
comment on column dq_quarantine.raw is '原始值（JSON，按读入原样）';

comment on table dq_quarantine_reasons is '退回原因明细：每行每个原因一行';
comment on column dq_quarantine_reasons.source_file is '文件名';
comment on column dq_quarantine_reasons.source_row is '行号（表头为第1行）';
comment on column dq_quarantine_reasons.reason_code is '原因代码';
comment on column dq_quarantine_reasons.reason is '原因（中文）';
comment on column dq_quarantine_reasons."column" is '涉及的列';

comment on table dq_warnings is '提示记录：接受但需核实的行（累计值下降、疑似单位错误、新区早于2012年）';
comment on column dq_warnings.source_file is '文件名';
comment on column dq_warnings.source_row is '行号（表头为第1行）';
comment on column dq_warnings.year is '统计年度';
comment on column dq_warnings.ytd_months is '累计月数';
comment on column dq_warnings.unit_code is '单位代码';
comment on column dq_warnings.industry is '产业类别';
comment on column dq_warnings.output_district is '产值发生地';
comment on column dq_warnings.warning_code is '提示代码';
comment on column dq_warnings.message is '提示（中文）';
comment on column dq_warnings.message_en is '提示（英文）';

comment on table dq_replaced_records is '被修订文件替换的记录（不计入数据，留作来源记录），含替换它的文件';
comment on column dq_replaced_records.source_file is '原文件名';
comment on column dq_replaced_records.source_row is '原文件中的行号（表头为第1行）';
comment on column dq_replaced_records.year is '统计年度';
comment on column dq_replaced_records.ytd_months is '累计月数';
comment on column dq_replaced_records.unit_code is '单位代码';
comment on column dq_replaced_records.industry is '产业类别';
comment on column dq_replaced_records.reg_district is '注册地';
comment on column dq_replaced_records.output_district is '产值发生地';
comment on column dq_replaced_records.ytd_value_wan is '被替换的本年累计产值（万元）';
comment on column dq_replaced_records.replaced_by_file is '替换它的修订文件名';

comment on table meta_run is '本次运行信息（一行）';
comment on column meta_run.run_id is '运行编号';
comment on column meta_run.built_at is '生成时间';
comment on column meta_run.is_synthetic is '是否为模拟数据';
comment on column meta_run.data_label is '数据标注：模拟数据或空';
comment on column meta_run.latest_year is '最新统计年度';
comment on column meta_run.latest_ytd_months is '最新累计月数';
comment on column meta_run.szei_version is 'szei 版本';
comment on column meta_run.rank_cap is '排名评分的完成进度封顶值（比值）';
